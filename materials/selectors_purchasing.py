"""Reads of purchasing: requisitions, purchase orders with their open quantities, goods
receipts, and the supplier an item was last bought from. Each list is a fixed number of
queries whatever its length."""

from collections.abc import Iterable

from django.db.models import F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from erp.roles import Role, has_role
from materials.models import (
    GoodsReceipt,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    RequisitionLine,
    Supplier,
)


def sees_purchase_prices(user) -> bool:
    """Purchase prices are for purchasing, managers and administrators (not a profit
    figure, but not the warehouse's business either)."""
    return has_role(user, Role.PURCHASING.value, Role.MANAGER.value)


def _requisition_lines() -> QuerySet[RequisitionLine]:
    return RequisitionLine.objects.select_related(
        "item", "supplier", "purchase_line__purchase_order"
    ).order_by("id")


def requisition_list(
    *, status: str = "", search: str = "", item: str = ""
) -> QuerySet[PurchaseRequisition]:
    """Requisitions, newest first, with their lines (items, suppliers, purchase orders)."""
    requisitions = (
        PurchaseRequisition.objects.select_related("created_by", "updated_by")
        .prefetch_related(Prefetch("lines", queryset=_requisition_lines()))
        .order_by("-created_at", "-pk")
    )
    if status:
        requisitions = requisitions.filter(status=status)
    search = search.strip()
    if search:
        requisitions = requisitions.filter(
            Q(number__icontains=search)
            | Q(source__icontains=search)
            | Q(lines__item__code__icontains=search)
        ).distinct()
    if item:
        requisitions = requisitions.filter(lines__item__code=item).distinct()
    return requisitions


def requisition_by_number(*, number: str) -> PurchaseRequisition:
    return (
        PurchaseRequisition.objects.select_related("created_by", "updated_by")
        .prefetch_related(Prefetch("lines", queryset=_requisition_lines()))
        .get(number=number)
    )


def _purchase_lines() -> QuerySet[PurchaseOrderLine]:
    return PurchaseOrderLine.objects.select_related("item").order_by("line")


def purchase_order_list(
    *, status: str = "", supplier: str = "", item: str = "", search: str = ""
) -> QuerySet[PurchaseOrder]:
    """Purchase orders, newest first, with their lines and open quantities."""
    orders = (
        PurchaseOrder.objects.select_related("supplier", "created_by", "updated_by")
        .prefetch_related(Prefetch("lines", queryset=_purchase_lines()))
        .order_by("-order_date", "-pk")
    )
    if status:
        orders = orders.filter(status=status)
    if supplier:
        orders = orders.filter(supplier__code=supplier)
    if item:
        orders = orders.filter(
            pk__in=PurchaseOrderLine.objects.filter(item__code=item).values("purchase_order")
        )
    search = search.strip()
    if search:
        orders = orders.filter(
            Q(po_no__icontains=search)
            | Q(supplier__code__icontains=search)
            | Q(supplier__name__icontains=search)
            | Q(
                pk__in=PurchaseOrderLine.objects.filter(item__code__icontains=search).values(
                    "purchase_order"
                )
            )
        )
    return orders


def purchase_order_by_no(*, po_no: str) -> PurchaseOrder:
    lines = _purchase_lines().prefetch_related(
        Prefetch(
            "requisition_lines",
            queryset=RequisitionLine.objects.select_related("requisition").order_by("id"),
        )
    )
    return (
        PurchaseOrder.objects.select_related("supplier", "created_by", "updated_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .get(po_no=po_no)
    )


def receipt_list(
    *,
    po_no: str = "",
    item: str = "",
    warehouse: str = "",
    date_from=None,
    date_to=None,
    search: str = "",
) -> QuerySet[GoodsReceipt]:
    receipts = GoodsReceipt.objects.select_related(
        "purchase_line__item",
        "purchase_line__purchase_order__supplier",
        "warehouse",
        "created_by",
    ).order_by("-receipt_date", "-pk")
    if po_no:
        receipts = receipts.filter(purchase_line__purchase_order__po_no=po_no)
    if item:
        receipts = receipts.filter(purchase_line__item__code=item)
    if warehouse:
        receipts = receipts.filter(warehouse__code=warehouse)
    if date_from:
        receipts = receipts.filter(receipt_date__gte=date_from)
    if date_to:
        receipts = receipts.filter(receipt_date__lte=date_to)
    search = search.strip()
    if search:
        receipts = receipts.filter(
            Q(number__icontains=search)
            | Q(purchase_line__purchase_order__po_no__icontains=search)
            | Q(purchase_line__item__code__icontains=search)
        )
    return receipts


def receipt_by_number(*, number: str) -> GoodsReceipt:
    return receipt_list().get(number=number)


def receipts_of(*, order: PurchaseOrder) -> QuerySet[GoodsReceipt]:
    return receipt_list().filter(purchase_line__purchase_order=order)


def latest_suppliers(*, item_ids: Iterable[int]) -> dict[int, Supplier]:
    """The supplier of each item's latest purchase order line (cancelled orders aside)."""
    # A window rather than DISTINCT ON, which is PostgreSQL only (SQLite is the embedded
    # database of ./scripts/serve.sh).
    latest_first = Window(
        RowNumber(),
        partition_by=[F("item_id")],
        order_by=[
            F("purchase_order__order_date").desc(),
            F("purchase_order_id").desc(),
            F("pk").desc(),
        ],
    )
    lines = (
        PurchaseOrderLine.objects.filter(item_id__in=set(item_ids))
        .exclude(purchase_order__status=PurchaseOrder.Status.CANCELLED)
        .select_related("purchase_order__supplier")
        .annotate(recency=latest_first)
        .filter(recency=1)
    )
    return {line.item_id: line.purchase_order.supplier for line in lines}
