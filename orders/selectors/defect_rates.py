"""The effect of re-applying today's defect-control table to open order lines that kept
older rates: per line and item, the pick limit now and after, beside what was picked."""

from dataclasses import dataclass
from decimal import Decimal

from materials.models import Item
from materials.requirements import requirements_for
from orders.models import OrderMaterial, SalesOrderLine
from orders.selectors.line_requirements import open_order_lines, order_line_requirements

ZERO = Decimal(0)


@dataclass(frozen=True)
class LimitChange:
    line: SalesOrderLine
    item: Item
    limit_now: Decimal
    limit_after: Decimal
    picked: Decimal  # net of surplus returns

    @property
    def difference(self) -> Decimal:
        return self.limit_after - self.limit_now

    @property
    def over_new_limit(self) -> bool:
        return self.picked > self.limit_after


def kept_lines_count() -> int:
    return open_order_lines().filter(material_rates_at__isnull=False).count()


def reapply_effect(*, limit: int = 200) -> tuple[list[LimitChange], int]:
    """(the first `limit` changed limits in order/line/item order, how many lines keep
    older rates). Reads the kept lines' BOMs once per rates moment and once for today."""
    lines = list(
        open_order_lines()
        .filter(material_rates_at__isnull=False)
        .select_related("order", "item")
        .order_by("order__order_no", "line")
    )
    if not lines:
        return [], 0
    now = order_line_requirements(lines)
    after = requirements_for((ln.pk, ln.item_id, ln.quantity) for ln in lines)
    changed = [
        (ln, item_id, now[ln.pk].get(item_id, ZERO), after[ln.pk].get(item_id, ZERO))
        for ln in lines
        for item_id in sorted(set(now[ln.pk]) | set(after[ln.pk]))
        if now[ln.pk].get(item_id, ZERO) != after[ln.pk].get(item_id, ZERO)
    ][:limit]
    items = Item.objects.in_bulk({item_id for _ln, item_id, _a, _b in changed})
    picked = {
        (m.order_line_id, m.item_id): m.picked - m.returned_surplus
        for m in OrderMaterial.objects.filter(order_line_id__in={ln.pk for ln, *_ in changed})
    }
    rows = [
        LimitChange(ln, items[item_id], a, b, picked.get((ln.pk, item_id), ZERO))
        for ln, item_id, a, b in changed
    ]
    return rows, len(lines)
