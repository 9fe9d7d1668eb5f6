"""The MRP planned orders (CONTRACT.md section 6 report `mrp-planned-orders`) as an Excel
download. It lives in reports, above production, so production never imports reports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from production.mrp import selectors
from production.mrp.access import may_view
from reports.exports import Period, report_rows, to_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def mrp_planned_orders_xlsx(request):
    if not may_view(request.user):
        raise PermissionDenied
    report, rows = report_rows("mrp-planned-orders", Period())
    response = HttpResponse(to_xlsx(report, rows), content_type=XLSX)
    run = selectors.latest_run()
    stamp = f"-{run.as_of:%Y-%m-%d}" if run else ""
    response["Content-Disposition"] = f'attachment; filename="mrp-planned-orders{stamp}.xlsx"'
    return response
