"""The material controller (物控) turns an order's shortfall into a purchase requisition
(物料申购单) from the order's material page (DOMAIN.md step 2, 522)."""

from collections.abc import Sequence

from django.db import transaction

from erp.errors import DomainError
from erp.numbers import plain as fmt
from erp.roles import Role, has_role
from materials.models import PurchaseRequisition
from materials.requirements import round_up
from materials.selectors_purchasing import latest_suppliers
from materials.services.purchasing import RequisitionLineInput, requisition_create
from orders.availability.read import order_availability
from orders.models import SalesOrder


def can_raise_requisitions(user) -> bool:
    """The material controller (role purchasing; administrators too)."""
    return has_role(user, Role.PURCHASING.value) and user.has_perm(
        "materials.add_purchaserequisition"
    )


@transaction.atomic
def requisition_for_shortfall(
    *, user, order_no: str, picks: Sequence[tuple[int, str]], note: str = ""
) -> PurchaseRequisition:
    """One requisition with a line per chosen (order line number, item code) of a bought
    item: quantity = its `short` of section 3b (rounded up to the item's unit), needed by
    the order line's due date, supplier = the one the item was last bought from."""
    order = SalesOrder.objects.filter(order_no=order_no).first()
    if order is None:
        raise DomainError(f"There is no customer order {order_no}.", field="order_no")
    if not picks:
        raise DomainError("Choose at least one short item.", field="lines")
    found = order_availability(order=order)
    rows = {(row.order_line.line, row.item.code): row for row in found.rows}
    chosen, refused = [], []
    for line_no, code in dict.fromkeys(picks):
        row = rows.get((line_no, code))
        if row is None:
            raise DomainError(
                f"Order {order_no} line {line_no} does not use {code}.", field="lines"
            )
        if row.made:
            refused.append(f"{code} (line {line_no}) is made in-house: make it, do not buy it")
        elif row.short <= 0:
            refused.append(
                f"{code} (line {line_no}: need {fmt(row.need)}, from stock "
                f"{fmt(row.from_stock)}, on order {fmt(row.on_order)} {row.item.uom})"
            )
        chosen.append(row)
    if refused:
        raise DomainError(
            "Nothing to buy for " + "; ".join(refused) + ". Leave these items out.",
            field="lines",
        )
    suppliers = latest_suppliers(item_ids={row.item.pk for row in chosen})
    return requisition_create(
        user=user,
        source=order_no,
        note=note,
        lines=[
            RequisitionLineInput(
                item=row.item,
                quantity=round_up(row.short, row.item.decimals),
                need_date=row.order_line.due_date,
                supplier=suppliers.get(row.item.pk),
            )
            for row in chosen
        ],
    )
