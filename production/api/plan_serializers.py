"""Machine load, downtime, production plans and their lines in and out of the API. Input
serializers check the shape of a body only; the rules are production.services'. Decimals
are strings, machines and items by code."""

from rest_framework import serializers

from erp.api.serializers import CodeRelatedField
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import WorkCenter
from production.models import Downtime, PlanLine, ProductionPlan

MAX_ORDERS = 500


def hours_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, **kwargs)


class LoadOrderSerializer(serializers.Serializer):
    order_no = serializers.CharField()
    line = serializers.IntegerField()
    customer = serializers.CharField()
    hours = hours_field()


class WeekLoadSerializer(serializers.Serializer):
    week = serializers.CharField(source="label", help_text="ISO week, e.g. 2026-W10.")
    monday = serializers.DateField()
    capacity_hours = hours_field(help_text="Hours per day on working days, less downtime.")
    planned_hours = hours_field(help_text="Hours of the approved plans' lines.")
    overloaded = serializers.BooleanField()
    orders = LoadOrderSerializer(source="order_list", many=True)


class MachineLoadSerializer(serializers.Serializer):
    machine = serializers.CharField(source="machine.code")
    name = serializers.CharField(source="machine.name")
    overloaded = serializers.BooleanField()
    weeks = WeekLoadSerializer(many=True)


class LoadQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="Any day of the first week.")
    weeks = serializers.IntegerField(required=False, min_value=1, max_value=52, default=8)
    machine = serializers.CharField(required=False, max_length=40, help_text="Machine code.")
    plan = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Id of a plan to preview as if it were approved.",
    )


class DowntimeSerializer(serializers.ModelSerializer):
    """Planned downtime of a machine: hours lost per day from start to end (blank hours:
    the whole day)."""

    work_center = CodeRelatedField(queryset=WorkCenter.objects.all(), help_text="Machine code.")
    hours_per_day = serializers.DecimalField(
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        required=False,
        allow_null=True,
        help_text="Hours lost per day; null for the whole day.",
    )
    end_date = serializers.DateField(required=False, help_text="Default: the start date.")
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Downtime
        fields = [
            "id",
            "work_center",
            "start_date",
            "end_date",
            "hours_per_day",
            "reason",
            "created_at",
            "created_by",
        ]


class PlanLineSerializer(serializers.ModelSerializer):
    """One routing step of one order line on a machine, or an order line left unscheduled
    (no machine, no dates, `unscheduled_reason`)."""

    order_no = serializers.CharField(source="order_line.order.order_no", read_only=True)
    line = serializers.IntegerField(source="order_line.line", read_only=True)
    customer = serializers.CharField(source="order_line.order.customer.code", read_only=True)
    item = serializers.CharField(source="item.code", read_only=True)
    process = serializers.CharField(source="process.code", read_only=True, default=None)
    work_center = CodeRelatedField(
        queryset=WorkCenter.objects.all(), required=False, help_text="Machine code."
    )
    hours = hours_field()
    stale = serializers.BooleanField(
        source="is_stale", read_only=True, help_text="Its order changed since it was planned."
    )
    work_order = serializers.CharField(source="work_order.wo_no", read_only=True, default=None)
    day_minutes = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text="Minutes per day (ISO date)."
    )

    class Meta:
        model = PlanLine
        fields = [
            "id",
            "plan",
            "priority",
            "order_no",
            "line",
            "customer",
            "key_account",
            "item",
            "quantity",
            "due_date",
            "seq",
            "process",
            "work_center",
            "minutes",
            "hours",
            "start_date",
            "end_date",
            "day_minutes",
            "unscheduled_reason",
            "stale",
            "stale_reason",
            "work_order",
        ]
        read_only_fields = [
            "plan",
            "priority",
            "key_account",
            "quantity",
            "due_date",
            "seq",
            "minutes",
            "unscheduled_reason",
            "stale_reason",
        ]


class PlanSerializer(serializers.ModelSerializer):
    """A production plan (生产计划表): draft -> submitted -> approved or rejected; an approved
    plan is superseded when a revision of it is approved."""

    previous = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Previous revision.")
    stale = serializers.BooleanField(
        source="has_stale", read_only=True, help_text="A line's order changed since planning."
    )
    scheduled_steps = serializers.IntegerField(source="line_count", read_only=True)
    unscheduled_lines = serializers.IntegerField(source="unscheduled_count", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ProductionPlan
        fields = [
            "id",
            "number",
            "revision",
            "previous",
            "period_start",
            "period_end",
            "status",
            "note",
            "stale",
            "scheduled_steps",
            "unscheduled_lines",
            "created_at",
            "created_by",
            "submitted_at",
            "submitted_by",
            "decided_at",
            "decided_by",
            "reject_reason",
        ]
        read_only_fields = fields


class PlanProposeSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class PlanRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PlanReviseSerializer(serializers.Serializer):
    replan_orders = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=list,
        max_length=MAX_ORDERS,
        help_text="Order numbers to schedule again (e.g. behind plan).",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class PlanChangeSerializer(serializers.Serializer):
    order_no = serializers.CharField()
    line = serializers.IntegerField()
    item = serializers.CharField()
    kind = serializers.ChoiceField(choices=["added", "removed", "changed"])
    what = serializers.ListField(child=serializers.CharField())
