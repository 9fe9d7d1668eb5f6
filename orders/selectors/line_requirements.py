"""The material requirement of order lines (CONTRACT.md section 3: the pick limit), each
line with the defect rates it keeps: today's, or those of the moment quality changed the
defect-control table while the line was open (`material_rates_at`)."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet

from materials.requirements import requirements_for
from orders.models import LineStatus, SalesOrderLine
from orders.states import TAKING_STATES


def open_order_lines() -> QuerySet[SalesOrderLine]:
    """Order lines that still take material: open lines of orders not closed or cancelled."""
    return SalesOrderLine.objects.filter(status=LineStatus.OPEN, order__status__in=TAKING_STATES)


def order_line_requirements(
    lines: Iterable[SalesOrderLine], *, quantity: Decimal | None = None
) -> dict[int, dict[int, Decimal]]:
    """{line pk: {item id: rounded requirement}}; one BOM load per distinct rates moment
    (today's for nearly every line). With `quantity`, the requirement of that many pieces
    of each line's item instead of the line's quantity (a kit for N pieces), same rates."""
    by_moment: dict[object, list[SalesOrderLine]] = defaultdict(list)
    for line in lines:
        by_moment[line.material_rates_at].append(line)
    found: dict[int, dict[int, Decimal]] = {}
    for moment, group in by_moment.items():
        found.update(
            requirements_for(
                (
                    (ln.pk, ln.item_id, ln.quantity if quantity is None else quantity)
                    for ln in group
                ),
                as_of=moment,
            )
        )
    return found
