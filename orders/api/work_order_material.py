"""`GET /api/v1/work-orders/{wo_no}/requirements/`: the work-order twin of an order's
requirements (CONTRACT.md section 7), per component of one BOM level, decimals as strings.
It lives here, beside the slips that use it; production's API owns the rest of
`work-orders/`. Work-order numbers may contain a slash: the path ends in a fixed word."""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from erp.numbers import quantity_text
from orders.api.material_serializers import REQUIREMENT_FIELDS, _quantity
from orders.selectors.work_order_material import (
    WorkOrderMaterialRow,
    work_order_by_number,
    work_order_material,
)


class WorkOrderRequirementSerializer(serializers.Serializer):
    """One direct component of the work order's item: the requirement with allowances
    (领料上限) and what was issued against it."""

    work_order = serializers.CharField(read_only=True, help_text="Work order number.")
    item = serializers.CharField(read_only=True, help_text="Item code.")
    requirement = _quantity("Work order quantity through one BOM level with allowances.")
    picked = _quantity()
    returned_surplus = _quantity()
    returned_defective = _quantity()
    replenished = _quantity()
    pick_remaining = _quantity("requirement - (picked - returned_surplus), never below 0.")
    replenish_remaining = _quantity("returned_defective - replenished.")

    def to_representation(self, row: WorkOrderMaterialRow) -> dict:
        data = {"work_order": row.work_order.wo_no, "item": row.item.code}
        for name in REQUIREMENT_FIELDS:
            data[name] = quantity_text(getattr(row, name), row.item.decimals)
        return data


class CanViewWorkOrders(BasePermission):
    message = "Your role may not see work orders."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("production.view_workorder"))


class WorkOrderRequirementsView(APIView):
    """What a work order may pick of each direct component, and what it did."""

    permission_classes = [CanViewWorkOrders]

    @extend_schema(responses=WorkOrderRequirementSerializer(many=True))
    def get(self, request, wo_no: str):
        work_order = work_order_by_number(wo_no=wo_no.replace("\x00", ""))
        if work_order is None:
            raise Http404("No work order with this number.")
        rows = work_order_material(work_order=work_order)
        return Response(WorkOrderRequirementSerializer(rows, many=True).data)


urlpatterns = [
    path(
        "work-orders/<path:wo_no>/requirements/",
        WorkOrderRequirementsView.as_view(),
        name="work-order-requirements",
    ),
]
