"""Purchasing in and out: requisitions, purchase orders with their open quantities, goods
receipts. Items, suppliers and warehouses by code; purchase prices only for purchasing,
managers and administrators. Rules are checked by materials.services.purchasing."""

from rest_framework import serializers

from erp.api.serializers import AUDIT_FIELDS, CodeRelatedField, HiddenCostsMixin
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import (
    GoodsReceipt,
    Item,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    RequisitionLine,
    Supplier,
)
from materials.selectors_purchasing import sees_purchase_prices


def quantity_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **kwargs
    )


class HiddenPurchasePricesMixin(HiddenCostsMixin):
    """Put before a Serializer class: `unit_price` only for people who may see purchase
    prices (erp.selectors: purchasing, managers, administrators)."""

    cost_fields = ("unit_price",)
    costs_refused_message = (
        "Only purchasing, managers and administrators may see or set purchase prices ({fields})."
    )

    def sees_costs(self) -> bool:
        if getattr(self.context.get("view"), "swagger_fake_view", False):
            return True
        request = self.context.get("request")
        return request is not None and sees_purchase_prices(request.user)


# Requisitions -----------------------------------------------------------------------------


class RequisitionLineSerializer(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    supplier = serializers.SlugRelatedField(slug_field="code", read_only=True)
    po_no = serializers.CharField(
        source="purchase_line.purchase_order.po_no", read_only=True, default=None
    )
    po_line = serializers.IntegerField(source="purchase_line.line", read_only=True, default=None)

    class Meta:
        model = RequisitionLine
        fields = ["id", "item", "quantity", "need_date", "supplier", "po_no", "po_line"]


class RequisitionSerializer(serializers.ModelSerializer):
    """A purchase requisition (物料申购单) and its lines."""

    lines = RequisitionLineSerializer(many=True, read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PurchaseRequisition
        fields = ["id", "number", "status", "source", "note", "lines", "created_at", "created_by"]
        read_only_fields = fields


class RequisitionLineInputSerializer(serializers.Serializer):
    item = CodeRelatedField(queryset=Item.objects.all())
    quantity = quantity_field()
    need_date = serializers.DateField()
    supplier = CodeRelatedField(queryset=Supplier.objects.all(), required=False, allow_null=True)


class RequisitionCreateSerializer(serializers.Serializer):
    source = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Order numbers it is for."
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    lines = RequisitionLineInputSerializer(many=True, allow_empty=False)


class RequisitionOrderLineSerializer(HiddenPurchasePricesMixin, serializers.Serializer):
    requisition_line = serializers.IntegerField(help_text="id of a line of this requisition")
    unit_price = quantity_field(min_value=0)
    due_date = serializers.DateField()
    quantity = quantity_field(
        required=False, allow_null=True, help_text="Default: the requisition line's quantity."
    )


class RequisitionOrderSerializer(serializers.Serializer):
    """Put lines of the requisition on one purchase order to a supplier."""

    supplier = CodeRelatedField(queryset=Supplier.objects.all())
    order_date = serializers.DateField(required=False, allow_null=True)
    lines = RequisitionOrderLineSerializer(many=True, allow_empty=False)


# Purchase orders --------------------------------------------------------------------------


class PurchaseOrderLineSerializer(HiddenPurchasePricesMixin, serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    open_quantity = quantity_field(read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "line",
            "item",
            "quantity",
            "received_quantity",
            "open_quantity",
            "due_date",
            "unit_price",
        ]
        read_only_fields = fields


class PurchaseOrderSerializer(serializers.ModelSerializer):
    """A purchase order and its lines; open = quantity - received."""

    supplier = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lines = PurchaseOrderLineSerializer(many=True, read_only=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = ["po_no", "supplier", "order_date", "status", "lines", *AUDIT_FIELDS]
        read_only_fields = fields


class PurchaseLineInputSerializer(HiddenPurchasePricesMixin, serializers.Serializer):
    item = CodeRelatedField(queryset=Item.objects.all())
    quantity = quantity_field()
    due_date = serializers.DateField()
    unit_price = quantity_field(min_value=0, required=False, default=0)


class PurchaseOrderCreateSerializer(serializers.Serializer):
    supplier = CodeRelatedField(queryset=Supplier.objects.all())
    order_date = serializers.DateField(required=False, allow_null=True)
    lines = PurchaseLineInputSerializer(many=True, allow_empty=False)


# Goods receipts ---------------------------------------------------------------------------


class ReceiptSerializer(HiddenPurchasePricesMixin, serializers.ModelSerializer):
    """A goods receipt (入库) against a purchase order line."""

    po_no = serializers.CharField(source="purchase_line.purchase_order.po_no", read_only=True)
    line = serializers.IntegerField(source="purchase_line.line", read_only=True)
    item = serializers.CharField(source="purchase_line.item.code", read_only=True)
    warehouse = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_price = quantity_field(source="purchase_line.unit_price", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = GoodsReceipt
        fields = [
            "id",
            "number",
            "po_no",
            "line",
            "item",
            "quantity",
            "warehouse",
            "receipt_date",
            "unit_price",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields


class ReceiptCreateSerializer(serializers.Serializer):
    po_no = serializers.CharField(max_length=40)
    line = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    quantity = quantity_field()
    warehouse = serializers.CharField(max_length=40, required=False, default="MAIN")
    receipt_date = serializers.DateField(required=False, allow_null=True)
