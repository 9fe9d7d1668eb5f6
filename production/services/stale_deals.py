"""Old accepted orders never produced (the seed's "statement of control and disposal of old
accepted deals"): each is disposed of, one order line at a time:

- cancel: an order change notice (订单变更通知单) cancels the line, with the reason, through
  the orders' change service (returns of picked material follow from it);
- keep: the reason is recorded; the line leaves the list until it is that old again
  (production.planning.portfolio_data.never_produced)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from erp.errors import ConflictError, DomainError
from orders.models import ChangeKind, LineStatus, SalesOrderLine
from orders.services.changes import change_apply
from orders.states import OPEN_STATES
from production.models import StaleDealDecision
from production.services.common import may

DISPOSE_PERMISSION = "orders.add_orderchange"
MAX_REASON = 2000
Decision = StaleDealDecision.Decision


def may_dispose(user) -> bool:
    return may(user, DISPOSE_PERMISSION)


@transaction.atomic
def stale_deal_dispose(
    *, user, order_line: SalesOrderLine, decision: str, reason: str
) -> StaleDealDecision:
    if not may_dispose(user):
        raise PermissionDenied("Only sales follow-up may cancel or keep an old order.")
    if decision not in Decision.values:
        raise DomainError("Decide to cancel or keep it.", field="decision")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason.", field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(f"The reason has at most {MAX_REASON} characters.", field="reason")
    line = SalesOrderLine.objects.select_related("order").get(pk=order_line.pk)
    if (
        line.status != LineStatus.OPEN
        or line.order.status not in OPEN_STATES
        or line.shipped_quantity > 0
    ):
        raise ConflictError(
            f"Order {line.order.order_no} line {line.line} is no longer an open order nothing "
            "was shipped for."
        )
    record = StaleDealDecision(order_line=line, decision=decision, reason=reason)
    if decision == Decision.CANCEL:
        record.order_change = change_apply(
            user=user,
            order=line.order,
            kind=ChangeKind.CANCEL,
            reason=f"Old accepted order never produced: {reason}",
            order_line=line,
        )
    record.stamp(user)
    record.save()
    return record
