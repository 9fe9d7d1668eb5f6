"""The order's states and the moves between them, in one place."""

from orders.errors import OrderStateError
from orders.models import OrderStatus as S

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.CONFIRMED, S.CREDIT_HOLD, S.CANCELLED},
    # The credit check stopped it: a manager approves (confirmed) or rejects (back to draft).
    S.CREDIT_HOLD: {S.CONFIRMED, S.DRAFT, S.CANCELLED},
    S.CONFIRMED: {S.IN_PRODUCTION, S.PARTLY_SHIPPED, S.SHIPPED, S.CANCELLED, S.CLOSED},
    S.IN_PRODUCTION: {S.CONFIRMED, S.PARTLY_SHIPPED, S.SHIPPED, S.CANCELLED, S.CLOSED},
    S.PARTLY_SHIPPED: {S.SHIPPED, S.CLOSED, S.CANCELLED},
    S.SHIPPED: {S.PARTLY_SHIPPED, S.CLOSED},
    S.CLOSED: set(),
    S.CANCELLED: set(),
}
OPEN_STATES = {S.CONFIRMED, S.IN_PRODUCTION, S.PARTLY_SHIPPED}
# Not confirmed yet: the lines ask what material they would get, but take none, are not
# shipped, picked or planned (a draft, or an order awaiting credit approval).
ASKING_STATES = (S.DRAFT, S.CREDIT_HOLD)
# Orders whose lines still take material: confirmed ones and those not yet confirmed.
TAKING_STATES = frozenset({*OPEN_STATES, *ASKING_STATES})
EDITABLE_STATES = {S.DRAFT}


def can_move(current: str, target: str) -> bool:
    return current == target or target in TRANSITIONS[current]


def check_move(*, order, target: str) -> None:
    """Refuse a move the table does not allow, in the user's words."""
    if not can_move(order.status, target):
        raise OrderStateError(
            f"Order {order.order_no} is {S(order.status).label}; it cannot become {S(target).label}."
        )
