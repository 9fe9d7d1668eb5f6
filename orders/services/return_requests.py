"""Return requests (退料申请): production opens a return from the shop floor, the warehouse
confirms what came back (the return slip is issued then, with CONTRACT.md section 3's
return limits) or rejects it with a reason. A request is checked against the same limits
when it is made, so the shop floor hears at once what the warehouse could not accept."""

from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.roles import Role
from erp.services import next_document_number, notify
from materials.models import Item, Warehouse
from orders.models import (
    MaterialSlip,
    ReturnRequest,
    ReturnRequestLine,
    ReturnRequestStatus,
    SalesOrder,
    SlipKind,
)
from orders.services.slip_actions import (
    issue_slip_and_refresh,
    issue_work_order_slip_and_refresh,
)
from orders.services.slips import SlipLineInput, issue_slip
from orders.services.work_order_slips import WorkOrderSlipLineInput, issue_work_order_slip
from production.models import WorkOrder

PREFIX = "RQ"


class _DryRun(Exception):
    """Raised inside a savepoint to roll back a slip written only to check it."""


def _check_as_slip(*, user, order_no: str, wo_no: str, lines, warehouse_code: str) -> None:
    """Refuse the request now if the warehouse could not issue it as a return slip: the
    slip is written inside a savepoint and rolled back."""
    try:
        with transaction.atomic():
            if order_no:
                issue_slip(
                    kind=SlipKind.RETURN,
                    order_no=order_no,
                    lines=lines,
                    user=user,
                    warehouse_code=warehouse_code,
                )
            else:
                issue_work_order_slip(
                    kind=SlipKind.RETURN,
                    wo_no=wo_no,
                    lines=lines,
                    user=user,
                    warehouse_code=warehouse_code,
                )
            raise _DryRun
    except _DryRun:
        pass


def _warehouse_clerks():
    return get_user_model().objects.filter(groups__name=Role.WAREHOUSE.value, is_active=True)


@transaction.atomic
def request_return(
    *,
    user,
    lines: Sequence[SlipLineInput] | Sequence[WorkOrderSlipLineInput],
    order_no: str = "",
    wo_no: str = "",
    warehouse_code: str = "MAIN",
    note: str = "",
) -> ReturnRequest:
    """A return request of a customer order's lines (SlipLineInput) or of a work order
    (WorkOrderSlipLineInput); every line needs the reason defective or surplus."""
    if bool(order_no) == bool(wo_no):
        raise DomainError("Name a customer order or a work order, not both.", field="order")
    _check_as_slip(
        user=user, order_no=order_no, wo_no=wo_no, lines=lines, warehouse_code=warehouse_code
    )
    order = SalesOrder.objects.get(order_no=order_no) if order_no else None
    work_order = WorkOrder.objects.get(wo_no=wo_no) if wo_no else None
    order_lines = {ol.line: ol for ol in order.lines.all()} if order else {}
    items = {i.code: i for i in Item.objects.filter(code__in={ln.item for ln in lines})}
    request = ReturnRequest(
        order=order,
        work_order=work_order,
        warehouse=Warehouse.objects.get(code=warehouse_code),
        note=(note or "").strip()[:200],
    )
    request.number = next_document_number(prefix=PREFIX)
    request.stamp(user)
    request.save()
    ReturnRequestLine.objects.bulk_create(
        ReturnRequestLine(
            request=request,
            order_line=order_lines.get(getattr(ln, "line", None)),
            item=items[ln.item],
            quantity=Decimal(ln.quantity),
            reason=ln.reason,
        )
        for ln in lines
    )
    holder = order_no or wo_no
    notify(
        users=_warehouse_clerks(),
        message=f"Return request {request.number} for {holder}: material coming back.",
        url=reverse("orders:return-request-detail", args=[request.number]),
    )
    return request


def _lock(request: ReturnRequest) -> ReturnRequest:
    locked = ReturnRequest.objects.select_for_update(no_key=True).get(pk=request.pk)
    if locked.status != ReturnRequestStatus.REQUESTED:
        raise ConflictError(
            f"Return request {locked.number} is already {locked.get_status_display()}."
        )
    return locked


def _decided(request: ReturnRequest, *, user, status: str, note: str = "") -> None:
    request.status = status
    request.decided_at = timezone.now()
    request.decided_by = user
    request.decision_note = note[:200]
    request.stamp(user)
    request.save()


@transaction.atomic
def confirm_return_request(
    *, request: ReturnRequest, user, quantities: dict[int, Decimal] | None = None
) -> MaterialSlip:
    """The warehouse confirms what came back: the return slip is issued with the requested
    quantities, or fewer (`quantities`: line id -> quantity received, 0 = nothing)."""
    request = _lock(request)
    lines = list(request.lines.select_related("item", "order_line"))
    quantities = quantities or {}
    slip_lines = []
    for line in lines:
        received = quantities.get(line.pk, line.quantity)
        if received < 0 or received > line.quantity:
            raise DomainError(
                f"{line.item.code}: the quantity received must be between 0 and the "
                f"{line.quantity.normalize():f} requested.",
                field="lines",
            )
        if received == 0:
            continue
        if request.order_id:
            slip_lines.append(
                SlipLineInput(line.order_line.line, line.item.code, received, line.reason)
            )
        else:
            slip_lines.append(WorkOrderSlipLineInput(line.item.code, received, line.reason))
    if not slip_lines:
        raise DomainError(
            "Nothing was received: reject the request instead, with a reason.", field="lines"
        )
    header = {
        "kind": SlipKind.RETURN,
        "lines": slip_lines,
        "user": user,
        "warehouse_code": request.warehouse.code,
        "note": f"{request.number} {request.note}".strip(),
    }
    if request.order_id:
        slip = issue_slip_and_refresh(order_no=request.order.order_no, **header)
    else:
        slip = issue_work_order_slip_and_refresh(wo_no=request.work_order.wo_no, **header)
    request.slip = slip
    _decided(request, user=user, status=ReturnRequestStatus.CONFIRMED)
    notify(
        users=[request.created_by],
        message=f"Return request {request.number} confirmed: return slip {slip.number}.",
        url=reverse("orders:slip-detail", args=[slip.number]),
    )
    return slip


@transaction.atomic
def reject_return_request(*, request: ReturnRequest, user, reason: str) -> ReturnRequest:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the request is rejected.", field="reason")
    request = _lock(request)
    _decided(request, user=user, status=ReturnRequestStatus.REJECTED, note=reason)
    notify(
        users=[request.created_by],
        message=f"Return request {request.number} rejected: {reason}",
        url=reverse("orders:return-request-detail", args=[request.number]),
    )
    return request


@transaction.atomic
def cancel_return_request(*, request: ReturnRequest, user) -> ReturnRequest:
    """The requester withdraws a request the warehouse has not decided yet."""
    request = _lock(request)
    _decided(request, user=user, status=ReturnRequestStatus.CANCELLED)
    return request
