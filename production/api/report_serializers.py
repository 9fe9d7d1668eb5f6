"""Daily reports, progress and contact slips in and out of the API. Input serializers check
the shape of a body; the rules are production.services'. Decimals are strings."""

from rest_framework import serializers

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from production.models import ContactSlip, DailyReport

MAX_ROWS = 500
MAX_LINE_NO = 2_147_483_647


def decimal_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **kwargs
    )


class DefectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=100)
    quantity = decimal_field()


class DailyRowInputSerializer(serializers.Serializer):
    """A row is for a customer order line (`order_no`, `line`) or for a work order
    (`work_order`, e.g. a sub-assembly's)."""

    process = serializers.CharField(max_length=40, help_text="Process code.")
    order_no = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    line = serializers.IntegerField(min_value=1, max_value=MAX_LINE_NO, default=1)
    work_order = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="Work order no."
    )
    good_quantity = decimal_field(default=0)
    defects = DefectSerializer(many=True, required=False, default=list, max_length=50)
    hours = decimal_field(default=0)
    operator = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if bool(attrs["order_no"]) == bool(attrs["work_order"]):
            raise serializers.ValidationError(
                "Give the order_no (and line) or the work_order the row is for, one of the two."
            )
        return attrs


class DailyReportInputSerializer(DailyRowInputSerializer):
    date = serializers.DateField()
    machine = serializers.CharField(max_length=40, help_text="Machine (work center) code.")


class DailyBatchSerializer(serializers.Serializer):
    date = serializers.DateField()
    machine = serializers.CharField(max_length=40)
    rows = DailyRowInputSerializer(many=True, allow_empty=True, max_length=MAX_ROWS)
    replace = serializers.BooleanField(
        default=False, help_text="Remove the machine-day's rows left out of `rows`."
    )


class DailyReportSerializer(serializers.ModelSerializer):
    """One daily report row: one process on one machine for one order line on one day."""

    machine = serializers.CharField(source="work_center.code", read_only=True)
    process = serializers.CharField(source="process.code", read_only=True)
    order_no = serializers.CharField(
        source="order_line.order.order_no", read_only=True, default=None
    )
    line = serializers.IntegerField(source="order_line.line", read_only=True, default=None)
    work_order = serializers.CharField(source="work_order.wo_no", read_only=True, default=None)
    item = serializers.SerializerMethodField()
    defects = DefectSerializer(many=True, read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DailyReport
        fields = [
            "id",
            "date",
            "machine",
            "process",
            "order_no",
            "line",
            "work_order",
            "item",
            "good_quantity",
            "defect_quantity",
            "defects",
            "hours",
            "operator",
            "note",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields

    def get_item(self, report: DailyReport) -> str:
        return (report.order_line or report.work_order).item.code


class DailyReportPatchSerializer(serializers.Serializer):
    good_quantity = decimal_field(required=False)
    defects = DefectSerializer(many=True, required=False, max_length=50)
    hours = decimal_field(required=False)
    operator = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class StepProgressSerializer(serializers.Serializer):
    seq = serializers.IntegerField(source="line.seq")
    process = serializers.CharField(source="line.process.code")
    machine = serializers.CharField(source="line.work_center.code")
    planned_to_date = decimal_field(read_only=True)
    good = decimal_field(read_only=True)
    defects = decimal_field(read_only=True)
    hours = decimal_field(read_only=True)


class OrderProgressSerializer(serializers.Serializer):
    order_no = serializers.CharField(source="order_line.order.order_no")
    line = serializers.IntegerField(source="order_line.line")
    item = serializers.CharField(source="order_line.item.code")
    quantity = decimal_field(read_only=True)
    due_date = serializers.DateField()
    planned_end = serializers.DateField(source="end_date")
    planned_to_date = decimal_field(read_only=True)
    finished = decimal_field(read_only=True)
    received = decimal_field(read_only=True)
    behind = decimal_field(read_only=True)
    behind_ratio = decimal_field(read_only=True)
    is_behind = serializers.BooleanField()
    steps = StepProgressSerializer(many=True)


class ProcessDefectsSerializer(serializers.Serializer):
    process = serializers.CharField(source="process.code")
    good = decimal_field(read_only=True)
    defects = decimal_field(read_only=True)
    rate = decimal_field(read_only=True, allow_null=True)
    control = decimal_field(read_only=True)
    above = serializers.BooleanField()
    reasons = serializers.DictField(child=serializers.CharField())


class ProgressQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="As of this day (default today).")
    threshold = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        help_text="Behind by more than this percentage of the quantity (default 10).",
    )
    order_no = serializers.CharField(required=False, max_length=40)


class DefectQuerySerializer(serializers.Serializer):
    since = serializers.DateField(required=False, help_text="Default: the month's first day.")
    until = serializers.DateField(required=False, help_text="Default: today.")


class ContactSlipSerializer(serializers.ModelSerializer):
    """A contact slip (联络单) and its decision."""

    order_no = serializers.CharField(source="order.order_no", read_only=True)
    line = serializers.IntegerField(source="order_line.line", read_only=True, default=None)
    raised_by = serializers.SlugRelatedField(
        source="created_by", slug_field="username", read_only=True
    )
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    supplier = serializers.CharField(source="supplier.code", read_only=True, default=None)
    purchase_order = serializers.CharField(
        source="purchase_order.po_no", read_only=True, default=None
    )
    plan = serializers.PrimaryKeyRelatedField(read_only=True)
    order_change = serializers.CharField(source="order_change.number", read_only=True, default=None)
    age_days = serializers.SerializerMethodField()

    class Meta:
        model = ContactSlip
        fields = [
            "number",
            "order_no",
            "line",
            "reason",
            "proposed_automatically",
            "behind_quantity",
            "status",
            "age_days",
            "created_at",
            "raised_by",
            "decision",
            "decision_note",
            "decided_at",
            "decided_by",
            "plan",
            "supplier",
            "outsource_quantity",
            "outsource_due_date",
            "purchase_order",
            "new_promised_date",
            "customer_informed",
            "order_change",
        ]
        read_only_fields = fields

    def get_age_days(self, slip) -> int:
        from production.services.contact import slip_age_days

        return slip_age_days(slip)


class ContactSlipRaiseSerializer(serializers.Serializer):
    order_no = serializers.CharField(max_length=40)
    line = serializers.IntegerField(
        min_value=1, max_value=MAX_LINE_NO, required=False, allow_null=True, default=None
    )
    reason = serializers.CharField(max_length=2000)


class ContactSlipDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ContactSlip.Decision.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    supplier = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    outsource_quantity = decimal_field(required=False, allow_null=True, default=None)
    outsource_due_date = serializers.DateField(required=False, allow_null=True, default=None)
    new_promised_date = serializers.DateField(required=False, allow_null=True, default=None)
    customer_informed = serializers.BooleanField(default=False)


class ContactSlipProposeSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    threshold = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
