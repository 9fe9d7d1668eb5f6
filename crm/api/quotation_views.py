"""REST endpoints of quotations (报价单): list with filters, create with lines, retrieve,
PATCH while a draft or sent, send/accept/cancel, and convert into a customer order. Sales
follow-up and managers only; sales sees the quotations of its customers and its own.
Reads through crm.selectors_quotations, writes through crm.services.quotations; every
POST honours Idempotency-Key."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from crm.api import quotation_serializers as shapes
from crm.models_quotations import Quotation, QuotationStatus
from crm.selectors_quotations import may_quote, quotation_list, quotations_for_api
from crm.services import quotations as services
from erp.api.idempotency import idempotent

FILTERS = [
    OpenApiParameter(
        "status",
        str,
        enum=["open", *QuotationStatus.values],
        description="`open`: not expired, not converted or cancelled.",
    ),
    OpenApiParameter("customer", str, description="Customer code (or part of the name)."),
    OpenApiParameter("expiring_within", int, description="Open and valid for at most N days."),
]


class QuotesPermission(BasePermission):
    message = "Only sales follow-up, managers and administrators work with quotations."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and may_quote(user))


def _param(request, name: str) -> str:
    return request.query_params.get(name, "").replace("\x00", "").strip()


@extend_schema(parameters=FILTERS)
class QuotationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Quotations with their lines. Created as a draft; PATCH while draft or sent (`lines`
    given: they replace all lines); `send`, `accept`, `cancel` (with a reason) and
    `convert` (a draft customer order at the quoted net prices)."""

    serializer_class = shapes.QuotationSerializer
    permission_classes = [QuotesPermission]
    queryset = Quotation.objects.none()
    filter_backends: list = []
    lookup_field = "number"
    lookup_value_regex = "[^/\x00]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if self.action != "list":
            return quotations_for_api(user=user)
        expiring = _param(self.request, "expiring_within")
        if expiring and (not expiring.isdigit() or int(expiring) > 3650):
            raise ValidationError({"expiring_within": ["A whole number of days, 0 to 3650."]})
        wanted = _param(self.request, "status")
        if wanted and wanted not in ("open", *QuotationStatus.values):
            raise ValidationError({"status": [f"Unknown status {wanted!r}."]})
        listed = quotation_list(
            user=user,
            today=timezone.localdate(),
            status=wanted,
            customer=_param(self.request, "customer"),
            expiring_days=int(expiring) if expiring else None,
        )
        return listed.prefetch_related("lines__item").select_related("contact", "updated_by")

    def _answer(self, quotation: Quotation, code: int = status.HTTP_200_OK) -> Response:
        fresh = quotations_for_api(user=self.request.user).get(pk=quotation.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @idempotent
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        quotation = services.quotation_create(user=request.user, **data)
        return self._answer(quotation, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        lines = data.pop("lines", None)
        quotation = services.quotation_update(
            quotation=self.get_object(), user=request.user, lines=lines, **data
        )
        return self._answer(quotation)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(
                {"detail": "Use PATCH to change a quotation."},
                status=status.HTTP_405_METHOD_NOT_ALLOWED,
            )
        return self.partial_update(request, *args, **kwargs)

    def _move(self, request, target: str) -> Response:
        body = shapes.QuotationMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        quotation = services.quotation_move(
            quotation=self.get_object(),
            user=request.user,
            target=target,
            reason=body.validated_data.get("reason", ""),
        )
        return self._answer(quotation)

    @extend_schema(request=None, responses=shapes.QuotationSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def send(self, request, number=None):
        """Given to the customer: its prices now count for the customer's orders."""
        return self._move(request, QuotationStatus.SENT)

    @extend_schema(request=None, responses=shapes.QuotationSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def accept(self, request, number=None):
        """The customer accepted it (not yet an order)."""
        return self._move(request, QuotationStatus.ACCEPTED)

    @extend_schema(request=shapes.QuotationMoveSerializer, responses=shapes.QuotationSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, number=None):
        """Cancelled, with `reason`."""
        return self._move(request, QuotationStatus.CANCELLED)

    @extend_schema(
        request=shapes.QuotationConvertSerializer,
        responses={201: shapes.QuotationConvertedSerializer},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def convert(self, request, number=None):
        """One step into a draft customer order with every line at the quoted net price
        (201 with the order number); 409 for an expired, cancelled or converted quotation."""
        body = shapes.QuotationConvertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        quotation = self.get_object()
        order = services.quotation_convert(
            quotation=quotation, user=request.user, **body.validated_data
        )
        answer = {"quotation": quotation.number, "order_no": order.order_no, "status": "converted"}
        return Response(answer, status=status.HTTP_201_CREATED)
