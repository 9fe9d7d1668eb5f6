"""The limits of CONTRACT.md section 3 as plain arithmetic on an issue counter (an
`OrderMaterial`, a `WorkOrderMaterial`, or a page row carrying the same four figures).
The slip services refuse with them; the slip page shows and fills with them: one rule."""

from decimal import Decimal


def pick_left(counter, limit: Decimal) -> Decimal:
    """What may still be picked under `limit`: limit - (picked - returned_surplus).
    Negative when a lowered requirement is already exceeded."""
    return limit - (counter.picked - counter.returned_surplus)


def replenish_left(counter) -> Decimal:
    """What may still be replenished: returned_defective - replenished."""
    return counter.returned_defective - counter.replenished
