"""Reads of the stock: usable and quarantine balances per item and warehouse, the ledger of
moves with the document behind each, stock-count adjustments. No writes; every list is a
fixed number of queries."""

from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES, ZERO
from materials.models import LocationKind, StockAdjustment, StockBalance, StockMove

QTY = DecimalField(max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES)

# The page behind each kind of document a move can name (StockMove.document_type). The
# URL names live in other apps; a document whose page does not exist shows without a link.
DOCUMENT_PAGES = {
    "material_slip": "orders:slip-detail",
    "delivery": "orders:delivery-detail",
    "finished_receipt": "production:fg-receipt-detail",
    "stock_adjustment": "materials:adjustment-detail",
    "goods_receipt": "materials:receipt-detail",
}


def _total(kind: str) -> Coalesce:
    return Coalesce(Sum("quantity", filter=Q(location__kind=kind)), Value(ZERO), output_field=QTY)


def stock_rows(
    *,
    item_code: str = "",
    warehouse_code: str = "",
    search: str = "",
    include_zero: bool = True,
) -> QuerySet:
    """One row per item and warehouse holding a balance: dicts with item, item_name, uom,
    warehouse, usable, quarantine, inspection (on hold); ordered by item code then warehouse. One query."""
    rows = (
        StockBalance.objects.values(
            item_code=F("item__code"),
            item_name=F("item__name"),
            uom=F("item__uom"),
            warehouse_code=F("location__warehouse__code"),
        )
        .annotate(
            usable=_total(LocationKind.USABLE),
            quarantine=_total(LocationKind.QUARANTINE),
            inspection=_total(LocationKind.INSPECTION),
        )
        .order_by("item__code", "location__warehouse__code")
    )
    if item_code:
        rows = rows.filter(item__code=item_code)
    if warehouse_code:
        rows = rows.filter(location__warehouse__code=warehouse_code)
    search = search.replace("\x00", "").strip()
    if search:
        rows = rows.filter(Q(item__code__icontains=search) | Q(item__name__icontains=search))
    if not include_zero:
        rows = rows.filter(Q(usable__gt=0) | Q(quarantine__gt=0) | Q(inspection__gt=0))
    return rows


def _running(kind: str) -> Coalesce:
    window = Window(
        Sum("quantity", filter=Q(location__kind=kind)),
        partition_by=[F("item_id")],
        order_by=[F("created_at").asc(), F("id").asc()],
    )
    return Coalesce(window, Value(ZERO), output_field=QTY)


def ledger(*, item_id: int | None = None, warehouse_code: str = "") -> QuerySet[StockMove]:
    """The stock moves, newest first, each with the item's running usable and quarantine
    stock after it (in `warehouse_code`, or in all warehouses). One query."""
    moves = StockMove.objects.select_related("item", "location__warehouse", "created_by")
    if item_id is not None:
        moves = moves.filter(item_id=item_id)
    if warehouse_code:
        moves = moves.filter(location__warehouse__code=warehouse_code)
    return moves.annotate(
        usable_after=_running(LocationKind.USABLE),
        quarantine_after=_running(LocationKind.QUARANTINE),
    ).order_by("-created_at", "-id")


def document_url(document_type: str, document_number: str) -> str | None:
    """The page of the document behind a move, if it has one."""
    name = DOCUMENT_PAGES.get(document_type)
    if not name or not document_number:
        return None
    try:
        return reverse(name, args=[document_number])
    except NoReverseMatch:
        return None


def adjustment_list(*, status: str = "") -> QuerySet[StockAdjustment]:
    adjustments = (
        StockAdjustment.objects.select_related(
            "item", "location__warehouse", "created_by", "decided_by"
        )
        .annotate(difference=F("counted_quantity") - F("book_quantity"))
        .order_by("-created_at", "-id")
    )
    if status:
        adjustments = adjustments.filter(status=status)
    return adjustments


def balance_of(*, item_id: int, location_id: int) -> Decimal:
    quantity = (
        StockBalance.objects.filter(item_id=item_id, location_id=location_id)
        .values_list("quantity", flat=True)
        .first()
    )
    return quantity if quantity is not None else ZERO
