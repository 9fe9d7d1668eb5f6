"""A warehouse slip as the pages and the API issue it: the slip service (against a customer
order or a work order), then the order's material status refreshed in the same
transaction, so sales follow-up sees it at once."""

from collections.abc import Sequence

from django.db import transaction

from orders.models import MaterialSlip
from orders.services.material_status import refresh_material_status
from orders.services.slips import SlipLineInput, issue_slip
from orders.services.work_order_slips import WorkOrderSlipLineInput, issue_work_order_slip


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


@transaction.atomic
def issue_work_order_slip_and_refresh(
    *,
    kind: str,
    wo_no: str,
    lines: Sequence[WorkOrderSlipLineInput],
    user,
    warehouse_code: str = "MAIN",
    note: str = "",
) -> MaterialSlip:
    """Issue a slip against a work order (orders.services.work_order_slips), then ask for
    the material status refresh: the stock that customer orders wait for has changed."""
    slip = issue_work_order_slip(
        kind=kind,
        wo_no=wo_no,
        lines=lines,
        user=user,
        warehouse_code=warehouse_code,
        note=note,
    )
    sales_order_id = slip.work_order.sales_order_id
    refresh_material_status(order_ids=[sales_order_id] if sales_order_id else [])
    return slip
