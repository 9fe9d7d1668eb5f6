"""Reads for the warehouse's purchase requests (仓库: 物料的请购): the bought items whose
stock, with what is already on order or requested, is below their safety stock, and how
much to ask for. One query per page whatever the number of items."""

from decimal import ROUND_CEILING, Decimal

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import (
    BomLine,
    Item,
    LocationKind,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    RequisitionLine,
    StockBalance,
)

ZERO = Decimal("0")
_Q = DecimalField(max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES)


def _sum(queryset, expression) -> Coalesce:
    total = queryset.values("item").annotate(total=Sum(expression)).values("total")
    return Coalesce(Subquery(total, output_field=_Q), Value(ZERO), output_field=_Q)


def items_to_request(*, search: str = "") -> QuerySet[Item]:
    """Active bought items (no BOM of their own) with a safety stock, where usable on hand + open
    purchase order quantity + open requisitions < safety stock, most short first. Each row
    has on_hand, on_order, requested, shortfall."""
    balances = StockBalance.objects.filter(item=OuterRef("pk"), location__kind=LocationKind.USABLE)
    ordered = PurchaseOrderLine.objects.filter(
        item=OuterRef("pk"), purchase_order__status=PurchaseOrder.Status.OPEN
    )
    requested = RequisitionLine.objects.filter(
        item=OuterRef("pk"), requisition__status=PurchaseRequisition.Status.OPEN
    )
    items = (
        Item.objects.filter(is_active=True, safety_stock__gt=0)
        .exclude(Exists(BomLine.objects.filter(parent=OuterRef("pk"))))
        .annotate(
            on_hand=_sum(balances, "quantity"),
            on_order=_sum(ordered, F("quantity") - F("received_quantity")),
            requested=_sum(requested, "quantity"),
        )
        .annotate(shortfall=F("safety_stock") - F("on_hand") - F("on_order") - F("requested"))
        .filter(shortfall__gt=0)
    )
    if search:
        items = items.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return items.order_by("-shortfall", "code")


def suggested_quantity(*, item: Item, shortfall: Decimal) -> Decimal:
    """What to ask for: the shortfall, at least the minimum order quantity, up to a multiple
    of the order multiple, rounded up to the item's unit."""
    quantity = max(shortfall, item.min_order_qty)
    if item.order_multiple > 0:
        multiples = (quantity / item.order_multiple).to_integral_value(rounding=ROUND_CEILING)
        quantity = multiples * item.order_multiple
    return quantity.quantize(Decimal(1).scaleb(-item.decimals), rounding=ROUND_CEILING)
