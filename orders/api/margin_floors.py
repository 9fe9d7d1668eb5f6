"""REST endpoint of the margin floor (限制低利润产品的生产与销售), managers and
administrators only (403 for everyone else: the floor is a cost figure).

GET /api/v1/margin-floors/ lists the settings, newest first (the newest per item, else the
newest without an item, is in force). POST /api/v1/margin-floors/
{"item": "CODE" or null, "percent": "15.00" or null, "reason": "..."} sets one (201);
a percent outside 0 to below 100 or an unknown item is a 400 with the field.
Order lines in GET /api/v1/orders/ carry `below_margin_floor` (true/false) for everyone."""

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from erp.api.idempotency import idempotent
from erp.api.permissions import role_permission
from erp.roles import Role
from orders.models_pricing import MarginFloor
from orders.services.margin_floor import set_margin_floor


class MarginFloorSerializer(serializers.ModelSerializer):
    item = serializers.CharField(
        source="item.code",
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=40,
        help_text="Item code; null or blank: the floor of the whole factory.",
    )
    percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="Minimum margin in percent of the price; null removes the floor.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MarginFloor
        fields = ["id", "item", "percent", "reason", "created_at", "created_by"]
        read_only_fields = ["id", "created_at", "created_by"]


class MarginFloorViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Margin floors, newest first (managers and administrators)."""

    serializer_class = MarginFloorSerializer
    permission_classes = [role_permission(Role.MANAGER.value)]
    queryset = MarginFloor.objects.select_related("item", "created_by").order_by(
        "-created_at", "-id"
    )

    @idempotent
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        floor = set_margin_floor(
            user=request.user,
            item=(data.get("item") or {}).get("code") or None,
            percent=data.get("percent"),
            reason=data.get("reason", ""),
        )
        return Response(self.get_serializer(floor).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("margin-floors", MarginFloorViewSet, basename="margin-floor")
urlpatterns = router.urls
