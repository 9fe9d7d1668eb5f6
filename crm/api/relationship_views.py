"""Relationship endpoints: contacts logged with customers (append-only), follow-ups and
their outcome, complaints through their states. Reads through querysets with their joins,
writes through crm.services."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from crm.api import relationship_serializers as shapes
from crm.models import Complaint, FollowUp, Interaction
from crm.services.complaints import complaint_move, complaint_open, complaint_rate, complaint_update
from crm.services.followups import followup_cancel, followup_complete, followup_schedule
from crm.services.interactions import interaction_log
from customers.access import FOLLOWS_UP, HANDLES_COMPLAINTS, LOGS_CONTACTS, SERVES_CUSTOMERS
from customers.selectors import current_tier
from erp.dates import parse_iso_date
from erp.roles import has_role


def roles(*, read: tuple[str, ...], write: tuple[str, ...]) -> type[BasePermission]:
    class ByRole(BasePermission):
        message = "Your role may not do this."

        def has_permission(self, request, view) -> bool:
            user = request.user
            if not (user and user.is_authenticated):
                return False
            wanted = read if request.method in SAFE_METHODS else write
            return has_role(user, *wanted)

    return ByRole


def _tier_code(customer) -> str | None:
    tier = current_tier(customer_id=customer.pk)
    return tier.tier if tier else None


def _param(request, name: str) -> str:
    return request.query_params.get(name, "").replace("\x00", "")


@extend_schema(
    parameters=[
        OpenApiParameter("customer", str, description="Customer code."),
        OpenApiParameter("kind", str),
        OpenApiParameter("reason", str, description="Contact reason code."),
        OpenApiParameter("order", str, description="Order number."),
    ]
)
class InteractionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Every contact with a customer; a quote carries `quote_lines` with the prices given."""

    serializer_class = shapes.InteractionSerializer
    permission_classes = [roles(read=SERVES_CUSTOMERS, write=LOGS_CONTACTS)]
    queryset = Interaction.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        interactions = (
            Interaction.objects.select_related("customer", "order", "created_by")
            .prefetch_related("quote_lines__item")
            .order_by("-occurred_at", "-id")
        )
        for field, lookup in (
            ("customer", "customer__code"),
            ("kind", "kind"),
            ("reason", "reason"),
            ("order", "order__order_no"),
        ):
            value = _param(self.request, field)
            if value:
                interactions = interactions.filter(**{lookup: value})
        return interactions

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["quote_lines"] = data.pop("quote_lines", [])
        serializer.instance = interaction_log(user=self.request.user, **data)


@extend_schema(
    parameters=[
        OpenApiParameter("owner", str, description="Username; `me` for your own."),
        OpenApiParameter("status", str, enum=["open", "done", "cancelled"]),
        OpenApiParameter("customer", str),
        OpenApiParameter("due_before", str, description="YYYY-MM-DD (inclusive)."),
    ]
)
class FollowUpViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Scheduled follow-ups (回访). POST schedules one (default owner: the customer's
    salesperson; default due date: the tier's frequency)."""

    serializer_class = shapes.FollowUpSerializer
    permission_classes = [roles(read=FOLLOWS_UP, write=FOLLOWS_UP)]
    queryset = FollowUp.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        followups = FollowUp.objects.select_related("customer", "owner").order_by("due_date", "id")
        owner = _param(self.request, "owner")
        if owner == "me":
            followups = followups.filter(owner=self.request.user)
        elif owner:
            followups = followups.filter(owner__username=owner)
        if _param(self.request, "status"):
            followups = followups.filter(status=_param(self.request, "status"))
        if _param(self.request, "customer"):
            followups = followups.filter(customer__code=_param(self.request, "customer"))
        due_before = _param(self.request, "due_before")
        if due_before:
            followups = followups.filter(due_date__lte=parse_iso_date(due_before, field="to"))
        return followups

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = followup_schedule(
            user=self.request.user,
            customer=data["customer"],
            purpose=data["purpose"],
            owner=data.get("owner"),
            due_date=data.get("due_date"),
            tier=_tier_code(data["customer"]),
        )

    @extend_schema(request=shapes.FollowUpDoneSerializer, responses=shapes.FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Done with its outcome; the next one is scheduled unless `schedule_next` is false."""
        followup = self.get_object()
        body = shapes.FollowUpDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done, following = followup_complete(
            followup=followup,
            user=request.user,
            outcome=body.validated_data["outcome"],
            schedule_next=body.validated_data["schedule_next"],
            next_due_date=body.validated_data.get("next_due_date"),
            tier=_tier_code(followup.customer),
        )
        answer = shapes.FollowUpSerializer(done).data
        answer["next"] = shapes.FollowUpSerializer(following).data if following else None
        return Response(answer)

    @extend_schema(request=shapes.FollowUpCancelSerializer, responses=shapes.FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        body = shapes.FollowUpCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cancelled = followup_cancel(
            followup=self.get_object(), user=request.user, reason=body.validated_data["reason"]
        )
        return Response(shapes.FollowUpSerializer(cancelled).data)


@extend_schema(
    parameters=[
        OpenApiParameter("customer", str),
        OpenApiParameter("status", str),
        OpenApiParameter("severity", str),
        OpenApiParameter("item", str),
    ]
)
class ComplaintViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """After-sales complaints. PATCH changes the facts; `move` changes the state; `rate`
    records the satisfaction once closed."""

    serializer_class = shapes.ComplaintSerializer
    permission_classes = [roles(read=HANDLES_COMPLAINTS, write=HANDLES_COMPLAINTS)]
    queryset = Complaint.objects.none()
    lookup_field = "number"
    lookup_value_regex = "[^/\x00]+"
    filter_backends: list = []

    def get_queryset(self):
        complaints = Complaint.objects.select_related(
            "customer", "order", "invoice", "item", "owner"
        )
        for field, lookup in (
            ("customer", "customer__code"),
            ("status", "status"),
            ("severity", "severity"),
            ("item", "item__code"),
        ):
            value = _param(self.request, field)
            if value:
                complaints = complaints.filter(**{lookup: value})
        return complaints.order_by("-opened_at", "-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        unknown = {"root_cause", "action"} & set(data)
        for name in unknown:
            data.pop(name)
        serializer.instance = complaint_open(user=self.request.user, **data)

    @extend_schema(request=shapes.ComplaintChangeSerializer, responses=shapes.ComplaintSerializer)
    def partial_update(self, request, number=None):
        body = shapes.ComplaintChangeSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changed = complaint_update(
            complaint=self.get_object(), user=request.user, **body.validated_data
        )
        return Response(shapes.ComplaintSerializer(changed).data)

    @extend_schema(request=shapes.ComplaintMoveSerializer, responses=shapes.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, number=None):
        body = shapes.ComplaintMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = complaint_move(
            complaint=self.get_object(), user=request.user, **body.validated_data
        )
        return Response(shapes.ComplaintSerializer(moved).data)

    @extend_schema(request=shapes.ComplaintRateSerializer, responses=shapes.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, number=None):
        body = shapes.ComplaintRateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rated = complaint_rate(
            complaint=self.get_object(),
            user=request.user,
            satisfaction=body.validated_data["satisfaction"],
        )
        return Response(shapes.ComplaintSerializer(rated).data, status=status.HTTP_200_OK)
