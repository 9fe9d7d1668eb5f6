"""An order's material requirement and availability, and a requisition for its shortfall."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from erp.api.idempotency import idempotent
from materials.api.purchasing_serializers import RequisitionSerializer
from materials.selectors_purchasing import requisition_by_number
from orders.api import material_serializers as s
from orders.availability.read import order_availability, order_requirements
from orders.models import SalesOrder
from orders.services.material_requisition import (
    can_raise_requisitions,
    requisition_for_shortfall,
)


class CanViewOrders(BasePermission):
    message = "Your role may not see customer orders."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("orders.view_salesorder"))


class CanRaiseRequisitions(BasePermission):
    message = "Only the material controller (purchasing) may raise purchase requisitions."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and can_raise_requisitions(user))


class OrderRequirementsView(APIView):
    """CONTRACT.md section 7: the requirement of every item of every line's BOM tree."""

    permission_classes = [CanViewOrders]

    @extend_schema(responses=s.RequirementSerializer(many=True))
    def get(self, request, order_no: str):
        order = get_object_or_404(SalesOrder, order_no=order_no)
        rows = order_requirements(order=order)
        return Response(s.RequirementSerializer(rows, many=True).data)


class OrderMaterialView(APIView):
    """CONTRACT.md section 3b: due first takes first, through every BOM level."""

    permission_classes = [CanViewOrders]

    @extend_schema(responses=s.OrderMaterialSerializer)
    def get(self, request, order_no: str):
        order = get_object_or_404(SalesOrder, order_no=order_no)
        found = order_availability(order=order)
        body = {
            "order_no": order.order_no,
            "material_status": found.status,
            "computed_at": found.computed_at,
            "stale": found.stale,
            "rows": found.rows,
        }
        return Response(s.OrderMaterialSerializer(body).data)


class OrderShortfallRequisitionView(APIView):
    """Raise a purchase requisition for the shortfall of chosen (line, item) pairs."""

    permission_classes = [CanRaiseRequisitions]

    @extend_schema(request=s.ShortfallRequisitionSerializer, responses={201: RequisitionSerializer})
    @idempotent
    def post(self, request, order_no: str):
        get_object_or_404(SalesOrder, order_no=order_no)
        serializer = s.ShortfallRequisitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        requisition = requisition_for_shortfall(
            user=request.user,
            order_no=order_no,
            picks=[(pick["line"], pick["item"]) for pick in data["lines"]],
            note=data.get("note", ""),
        )
        requisition = requisition_by_number(number=requisition.number)
        return Response(RequisitionSerializer(requisition).data, status=status.HTTP_201_CREATED)
