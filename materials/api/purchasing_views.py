"""Purchasing endpoints: requisitions, purchase orders, goods receipts. Reads through
materials.selectors_purchasing, writes through materials.services.purchasing; every POST
honours `Idempotency-Key`. Purchasing raises requisitions and orders; the warehouse
receives; every role may read."""

import django_filters as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from erp.api.idempotency import idempotent
from erp.api.permissions import ModelPermissions
from erp.errors import DomainError
from materials import selectors_purchasing as selectors
from materials.api import purchasing_serializers as s
from materials.models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine, PurchaseRequisition
from materials.services import purchasing, receipts


def requires(*perms: str) -> type[BasePermission]:
    """A permission class: authenticated and holding every one of `perms`."""

    class Requires(BasePermission):
        message = "Your role may not do this."

        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_perms(perms))

    Requires.__name__ = "Requires_" + "_".join(p.split(".")[-1] for p in perms)
    return Requires


class ActionPermissionsMixin:
    """`action_permissions = {"cancel": requires(...)}`: an action's own permission."""

    action_permissions: dict[str, type[BasePermission]] = {}

    def get_permissions(self):
        if self.action in self.action_permissions:
            return [self.action_permissions[self.action]()]
        return super().get_permissions()


class RequisitionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=PurchaseRequisition.Status.choices)
    item = filters.CharFilter(
        field_name="lines__item__code", distinct=True, help_text="Code of an item on it."
    )
    source = filters.CharFilter(
        field_name="source", lookup_expr="icontains", help_text="An order number it is for."
    )

    class Meta:
        model = PurchaseRequisition
        fields = ["status", "item", "source"]


class RequisitionViewSet(
    ActionPermissionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Purchase requisitions (物料申购单): what the material controller asks to buy."""

    serializer_class = s.RequisitionSerializer
    permission_classes = [ModelPermissions]
    filterset_class = RequisitionFilter
    search_fields = ["number", "source"]
    ordering_fields = ["created_at", "number"]
    ordering = ["-created_at"]
    action_permissions = {
        "cancel": requires("materials.change_purchaserequisition"),
        "order": requires("materials.add_purchaseorder"),
    }

    def get_queryset(self):
        return selectors.requisition_list()

    @extend_schema(request=s.RequisitionCreateSerializer, responses={201: s.RequisitionSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _valid(s.RequisitionCreateSerializer, request, self)
        requisition = purchasing.requisition_create(
            user=request.user,
            source=data.get("source", ""),
            note=data.get("note", ""),
            lines=[purchasing.RequisitionLineInput(**line) for line in data["lines"]],
        )
        return self._answer(requisition, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.RequisitionSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        requisition = purchasing.requisition_cancel(
            user=request.user, requisition=self.get_object()
        )
        return self._answer(requisition, status.HTTP_200_OK)

    @extend_schema(request=s.RequisitionOrderSerializer, responses={201: s.PurchaseOrderSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def order(self, request, pk=None):
        """Put lines of this requisition on a new purchase order."""
        requisition = self.get_object()
        data = _valid(s.RequisitionOrderSerializer, request, self)
        order = purchasing.purchase_order_from_requisitions(
            user=request.user,
            requisition=requisition,
            supplier=data["supplier"],
            order_date=data.get("order_date"),
            lines=[purchasing.RequisitionOrderLine(**line) for line in data["lines"]],
        )
        order = selectors.purchase_order_by_no(po_no=order.po_no)
        body = s.PurchaseOrderSerializer(order, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def _answer(self, requisition, code):
        requisition = selectors.requisition_by_number(number=requisition.number)
        return Response(self.get_serializer(requisition).data, status=code)


class PurchaseOrderFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=PurchaseOrder.Status.choices)
    supplier = filters.CharFilter(field_name="supplier__code", help_text="Code of the supplier.")
    item = filters.CharFilter(method="with_item", help_text="Code of an item on one of its lines.")

    class Meta:
        model = PurchaseOrder
        fields = ["status", "supplier", "item"]

    def with_item(self, queryset, name, value):
        lines = PurchaseOrderLine.objects.filter(item__code=value).values("purchase_order")
        return queryset.filter(pk__in=lines)


class PurchaseOrderViewSet(
    ActionPermissionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Purchase orders, their lines and open quantities (quantity - received)."""

    serializer_class = s.PurchaseOrderSerializer
    permission_classes = [ModelPermissions]
    filterset_class = PurchaseOrderFilter
    lookup_field = "po_no"
    lookup_value_regex = "[^/]+"
    search_fields = ["po_no", "supplier__code", "supplier__name"]
    ordering_fields = ["order_date", "po_no"]
    ordering = ["-order_date", "-po_no"]
    action_permissions = {
        "cancel": requires("materials.change_purchaseorder"),
        "close": requires("materials.change_purchaseorder"),
    }

    def get_queryset(self):
        return selectors.purchase_order_list()

    @extend_schema(
        request=s.PurchaseOrderCreateSerializer, responses={201: s.PurchaseOrderSerializer}
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _valid(s.PurchaseOrderCreateSerializer, request, self)
        order = purchasing.purchase_order_create(
            user=request.user,
            supplier=data["supplier"],
            order_date=data.get("order_date"),
            lines=[purchasing.PurchaseLineInput(**line) for line in data["lines"]],
        )
        return self._answer(order, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.PurchaseOrderSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, po_no=None):
        order = purchasing.purchase_order_cancel(
            user=request.user, purchase_order=self.get_object()
        )
        return self._answer(order, status.HTTP_200_OK)

    @extend_schema(request=None, responses=s.PurchaseOrderSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def close(self, request, po_no=None):
        order = purchasing.purchase_order_close(user=request.user, purchase_order=self.get_object())
        return self._answer(order, status.HTTP_200_OK)

    def _answer(self, order, code):
        order = selectors.purchase_order_by_no(po_no=order.po_no)
        return Response(self.get_serializer(order).data, status=code)


class ReceiptFilter(filters.FilterSet):
    po_no = filters.CharFilter(field_name="purchase_line__purchase_order__po_no")
    item = filters.CharFilter(field_name="purchase_line__item__code", help_text="Item code.")
    warehouse = filters.CharFilter(field_name="warehouse__code", help_text="Warehouse code.")
    date_from = filters.DateFilter(field_name="receipt_date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="receipt_date", lookup_expr="lte")

    class Meta:
        model = GoodsReceipt
        fields = ["po_no", "item", "warehouse", "date_from", "date_to"]


class ReceiptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Goods receipts (入库) against purchase order lines; partial receipts allowed."""

    serializer_class = s.ReceiptSerializer
    permission_classes = [ModelPermissions]
    filterset_class = ReceiptFilter
    search_fields = ["number", "purchase_line__purchase_order__po_no"]
    ordering_fields = ["receipt_date", "number"]
    ordering = ["-receipt_date", "-number"]

    def get_queryset(self):
        return selectors.receipt_list()

    @extend_schema(request=s.ReceiptCreateSerializer, responses={201: s.ReceiptSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _valid(s.ReceiptCreateSerializer, request, self)
        line = PurchaseOrderLine.objects.filter(
            purchase_order__po_no=data["po_no"], line=data["line"]
        ).first()
        if line is None:
            raise DomainError(
                f"Purchase order {data['po_no']} has no line {data['line']}.", field="line"
            )
        receipt = receipts.goods_receipt(
            user=request.user,
            purchase_line=line,
            quantity=data["quantity"],
            warehouse_code=data["warehouse"],
            receipt_date=data.get("receipt_date"),
        )
        receipt = selectors.receipt_by_number(number=receipt.number)
        return Response(self.get_serializer(receipt).data, status=status.HTTP_201_CREATED)


def _valid(serializer_class, request, view) -> dict:
    serializer = serializer_class(data=request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
