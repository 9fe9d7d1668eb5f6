"""The MRP planned orders (CONTRACT.md section 6 report `mrp-planned-orders`) as an Excel
download for people: headers in the reader's language, named for the run's date. It lives
in reports, above production, so production never imports reports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from erp.spreadsheet import xlsx_response
from production.mrp import selectors
from production.mrp.access import may_view
from reports.exports import Period, report_rows, to_readable_xlsx


@login_required
def mrp_planned_orders_xlsx(request):
    if not may_view(request.user):
        raise PermissionDenied
    report, rows = report_rows("mrp-planned-orders", Period())
    run = selectors.latest_run()
    return xlsx_response(
        to_readable_xlsx(report, rows), what="mrp-planned-orders", stamp=run.as_of if run else None
    )
