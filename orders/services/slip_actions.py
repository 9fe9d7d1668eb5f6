"""A warehouse slip as the pages and the API issue it: the slip service, then the order's
material status refreshed in the same transaction, so sales follow-up sees it at once."""

from collections.abc import Sequence

from django.db import transaction

from orders.models import MaterialSlip
from orders.services.material_status import refresh_material_status
from orders.services.slips import SlipLineInput, issue_slip


@transaction.atomic
def issue_slip_and_refresh(
    *,
    kind: str,
    order_no: str,
    lines: Sequence[SlipLineInput],
    user,
    warehouse_code: str = "MAIN",
    note: str = "",
) -> MaterialSlip:
    """Issue a pick, return or replenish slip (orders.services.slips.issue_slip: whole or
    not at all) and refresh the order's material status."""
    slip = issue_slip(
        kind=kind,
        order_no=order_no,
        lines=lines,
        user=user,
        warehouse_code=warehouse_code,
        note=note,
    )
    refresh_material_status(order_ids=[slip.order_id])
    return slip
