"""Shapes of the profit and tier endpoints (CONTRACT.md sections 5 and 6)."""

from rest_framework import serializers

from customers.models import Customer
from erp.api.serializers import CodeRelatedField
from reports.models import Tier, TierChange, TierOverride, TierSettings


class CustomerProfitRowSerializer(serializers.Serializer):
    customer = serializers.CharField(help_text="Customer code.")
    revenue = serializers.CharField(help_text="Exact decimal.")
    cost = serializers.CharField(help_text="Exact decimal.")
    profit = serializers.CharField(help_text="revenue - cost, exact decimal.")
    rank = serializers.IntegerField(help_text="1 = most profit; ties by revenue, then code.")


class ProductProfitRowSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="Item code.")
    quantity = serializers.CharField()
    revenue = serializers.CharField()
    cost = serializers.CharField()
    profit = serializers.CharField()
    profit_cost_ratio = serializers.CharField(
        allow_null=True, help_text="profit / cost, 6 places half-up; null when cost is 0."
    )
    profit_sales_ratio = serializers.CharField(
        allow_null=True, help_text="profit / revenue, 6 places half-up; null when revenue is 0."
    )


class CustomerTierRowSerializer(serializers.Serializer):
    customer = serializers.CharField()
    tier = serializers.ChoiceField(choices=Tier.choices)
    loss_making = serializers.BooleanField()
    overridden = serializers.BooleanField()


class TierSettingsSerializer(serializers.ModelSerializer):
    vip_share = serializers.DecimalField(
        max_digits=5, decimal_places=4, help_text="VIP while the share above is below this."
    )
    important_share = serializers.DecimalField(
        max_digits=5, decimal_places=4, help_text="IMPORTANT while the share above is below this."
    )
    migrating_drop = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        required=False,
        help_text="Lifecycle: migrating when profit fell by this fraction or more.",
    )
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = TierSettings
        fields = ["vip_share", "important_share", "migrating_drop", "updated_at", "updated_by"]
        read_only_fields = ["updated_at"]


class TierOverrideSerializer(serializers.ModelSerializer):
    customer = CodeRelatedField(queryset=Customer.objects.all())
    tier = serializers.ChoiceField(choices=Tier.choices)
    reason = serializers.CharField(max_length=2000)
    set_by = serializers.SerializerMethodField()
    set_at = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = TierOverride
        fields = ["customer", "tier", "reason", "set_by", "set_at"]

    def get_set_by(self, override: TierOverride) -> str | None:
        who = override.updated_by or override.created_by
        return who.username if who else None


class TierOverrideChangeSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices)
    reason = serializers.CharField(max_length=2000)


class TierChangeSerializer(serializers.ModelSerializer):
    customer = serializers.CharField(source="customer.code")
    old_tier = serializers.CharField(help_text="The tier before (blank: none yet).")
    new_tier = serializers.CharField(help_text="VIP, IMPORTANT, NORMAL or POTENTIAL.")
    changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = TierChange
        fields = [
            "id",
            "customer",
            "old_tier",
            "new_tier",
            "source",
            "reason",
            "changed_by",
            "changed_at",
        ]
