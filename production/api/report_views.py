"""REST of the shop floor's daily reports, progress and contact slips:

- /api/v1/daily-reports/          list, one row POST (a terminal), PATCH, DELETE
- /api/v1/daily-reports/batch/    POST a whole machine-day at once
- /api/v1/production-progress/    planned vs actual per order line of the plans in force
- /api/v1/defect-rates/           actual defect rate per process vs the control table
- /api/v1/contact-slips/          list, raise (POST), {number}/decide/, propose/

Reading needs the view permission; writes go through production.services (403 for the
wrong role, 400/409 with `detail`). POSTs honour Idempotency-Key."""

from decimal import Decimal

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from erp.api.idempotency import idempotent
from erp.errors import DomainError
from materials.api.input_errors import invalid_input
from materials.models import Process, Supplier, WorkCenter
from orders.models import SalesOrder, SalesOrderLine
from production.api.plan_views import may_view
from production.api.report_serializers import (
    ContactSlipDecideSerializer,
    ContactSlipProposeSerializer,
    ContactSlipRaiseSerializer,
    ContactSlipSerializer,
    DailyBatchSerializer,
    DailyReportInputSerializer,
    DailyReportPatchSerializer,
    DailyReportSerializer,
    DefectQuerySerializer,
    OrderProgressSerializer,
    ProcessDefectsSerializer,
    ProgressQuerySerializer,
)
from production.models import ContactSlip, DailyReport, WorkOrder
from production.planning.progress import DEFAULT_THRESHOLD, defect_rates, order_progress
from production.services import contact as contact_services
from production.services.daily import DailyRow, daily_report_delete, daily_report_save


def _machine(code: str) -> WorkCenter:
    machine = WorkCenter.objects.filter(code=code).first()
    if machine is None:
        raise DomainError(f"There is no machine {code}.", field="machine")
    return machine


def _rows(raw_rows: list[dict]) -> list[DailyRow]:
    """Service rows from the body's rows: processes, order lines and work orders read in
    one query each."""
    processes = {
        p.code: p for p in Process.objects.filter(code__in={r["process"] for r in raw_rows})
    }
    wanted = Q(pk__in=[])
    for r in raw_rows:
        if r["order_no"]:
            wanted |= Q(order__order_no=r["order_no"], line=r["line"])
    lines = {
        (ol.order.order_no, ol.line): ol
        for ol in SalesOrderLine.objects.select_related("order", "item").filter(wanted)
    }
    work_orders = {
        wo.wo_no: wo
        for wo in WorkOrder.objects.select_related("item").filter(
            wo_no__in={r["work_order"] for r in raw_rows if r["work_order"]}
        )
    }
    rows = []
    for n, r in enumerate(raw_rows, start=1):
        where = f"Row {n}" if len(raw_rows) > 1 else "The report"
        if r["process"] not in processes:
            raise DomainError(f"{where}: there is no process {r['process']}.", field="process")
        line = work_order = None
        if r["work_order"]:
            work_order = work_orders.get(r["work_order"])
            if work_order is None:
                raise DomainError(
                    f"{where}: there is no work order {r['work_order']}.", field="work_order"
                )
        else:
            line = lines.get((r["order_no"], r["line"]))
            if line is None:
                raise DomainError(
                    f"{where}: order {r['order_no']} has no line {r['line']}.", field="order_no"
                )
        rows.append(
            DailyRow(
                order_line=line,
                work_order=work_order,
                process=processes[r["process"]],
                good_quantity=r["good_quantity"],
                defects=[(d["reason"], d["quantity"]) for d in r["defects"]],
                hours=r["hours"],
                operator=r["operator"],
                note=r["note"],
            )
        )
    return rows


class DailyReportFilter(filters.FilterSet):
    date = filters.DateFilter(field_name="date")
    since = filters.DateFilter(field_name="date", lookup_expr="gte")
    until = filters.DateFilter(field_name="date", lookup_expr="lte")
    machine = filters.CharFilter(field_name="work_center__code", help_text="Machine code.")
    process = filters.CharFilter(field_name="process__code", help_text="Process code.")
    order_no = filters.CharFilter(field_name="order_line__order__order_no")
    work_order = filters.CharFilter(field_name="work_order__wo_no", help_text="Work order no.")

    class Meta:
        model = DailyReport
        fields = ["date", "machine", "process", "order_no", "work_order"]


class DailyReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Daily production reports (生产日报表). POST one row (a shop-floor terminal): it
    replaces what was reported for the same day, machine, process and order line."""

    serializer_class = DailyReportSerializer
    permission_classes = [may_view("production.view_dailyreport")]
    filterset_class = DailyReportFilter
    ordering_fields = ["date", "created_at"]
    ordering = ["-date", "work_center__code", "process__code", "id"]
    search_fields = ["order_line__order__order_no", "work_order__wo_no", "operator"]
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return DailyReport.objects.select_related(
            "work_center",
            "process",
            "order_line__order",
            "order_line__item",
            "work_order__item",
            "created_by",
        ).prefetch_related("defects")

    def _answer(self, reports, code) -> Response:
        fresh = self.get_queryset().filter(pk__in=[r.pk for r in reports])
        many = len(reports) != 1
        data = self.get_serializer(list(fresh) if many else fresh.get(), many=many).data
        return Response(data, status=code)

    @extend_schema(request=DailyReportInputSerializer, responses={201: DailyReportSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = DailyReportInputSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        reports = daily_report_save(
            user=request.user,
            date=data["date"],
            work_center=_machine(data["machine"]),
            rows=_rows([data]),
        )
        return self._answer(reports, status.HTTP_201_CREATED)

    @extend_schema(request=DailyReportPatchSerializer, responses=DailyReportSerializer)
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        body = DailyReportPatchSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        row = DailyRow(
            order_line=report.order_line,
            work_order=report.work_order,
            process=report.process,
            good_quantity=data.get("good_quantity", report.good_quantity),
            defects=[(d["reason"], d["quantity"]) for d in data["defects"]]
            if "defects" in data
            else [(d.reason, d.quantity) for d in report.defects.all()],
            hours=data.get("hours", report.hours),
            operator=data.get("operator", report.operator),
            note=data.get("note", report.note),
        )
        reports = daily_report_save(
            user=request.user, date=report.date, work_center=report.work_center, rows=[row]
        )
        return self._answer(reports, status.HTTP_200_OK)

    def perform_destroy(self, instance) -> None:
        daily_report_delete(user=self.request.user, report=instance)

    @extend_schema(request=DailyBatchSerializer, responses={201: DailyReportSerializer(many=True)})
    @action(detail=False, methods=["post"])
    @idempotent
    def batch(self, request):
        """A whole machine-day at once; with `replace`, rows left out are removed."""
        body = DailyBatchSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        reports = daily_report_save(
            user=request.user,
            date=data["date"],
            work_center=_machine(data["machine"]),
            rows=_rows(data["rows"]),
            replace=data["replace"],
        )
        fresh = self.get_queryset().filter(pk__in=[r.pk for r in reports])
        return Response(self.get_serializer(fresh, many=True).data, status=status.HTTP_201_CREATED)


def _percent(value) -> Decimal:
    return DEFAULT_THRESHOLD if value is None else Decimal(value) / 100


class ProgressView(APIView):
    """Planned vs actual per order line of the plans in force, as of a day; `is_behind`
    when behind by more than the threshold."""

    permission_classes = [may_view("production.view_dailyreport")]

    @extend_schema(
        parameters=[ProgressQuerySerializer], responses=OrderProgressSerializer(many=True)
    )
    def get(self, request):
        query = ProgressQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return invalid_input(query.errors)
        data = query.validated_data
        rows = order_progress(
            as_of=data.get("date") or timezone.localdate(),
            threshold=_percent(data.get("threshold")),
            order_no=data.get("order_no", ""),
        )
        return Response(OrderProgressSerializer(rows, many=True).data)


class DefectRatesView(APIView):
    """Actual defect rate per process against the defect-control table (`above` flags it)."""

    permission_classes = [may_view("production.view_dailyreport")]

    @extend_schema(
        parameters=[DefectQuerySerializer], responses=ProcessDefectsSerializer(many=True)
    )
    def get(self, request):
        query = DefectQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return invalid_input(query.errors)
        until = query.validated_data.get("until") or timezone.localdate()
        since = query.validated_data.get("since") or until.replace(day=1)
        if since > until or (until - since).days > 366:
            raise DomainError("Give at most a year, `since` before `until`.", field="since")
        rows = defect_rates(start=since, end=until)
        return Response(ProcessDefectsSerializer(rows, many=True).data)


class ContactSlipFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ContactSlip.Status.choices)
    order_no = filters.CharFilter(field_name="order__order_no")
    decision = filters.ChoiceFilter(choices=ContactSlip.Decision.choices)

    class Meta:
        model = ContactSlip
        fields = ["status", "order_no", "decision"]


class ContactSlipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Contact slips (联络单): production raises them (POST), sales follow-up decides
    (POST {number}/decide/): replan, outsource or accept_delay."""

    serializer_class = ContactSlipSerializer
    permission_classes = [may_view("production.view_contactslip")]
    filterset_class = ContactSlipFilter
    ordering_fields = ["created_at", "number"]
    ordering = ["status", "created_at", "id"]
    search_fields = ["number", "order__order_no", "reason"]
    lookup_field = "number"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return ContactSlip.objects.select_related(
            "order",
            "order_line",
            "created_by",
            "decided_by",
            "supplier",
            "purchase_order",
            "order_change",
        )

    def _answer(self, slip, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=slip.pk)).data, status=code)

    @extend_schema(request=ContactSlipRaiseSerializer, responses={201: ContactSlipSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = ContactSlipRaiseSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        order = SalesOrder.objects.filter(order_no=data["order_no"]).first()
        if order is None:
            raise DomainError(f"There is no order {data['order_no']}.", field="order_no")
        line = None
        if data["line"] is not None:
            line = SalesOrderLine.objects.filter(order=order, line=data["line"]).first()
            if line is None:
                raise DomainError(
                    f"Order {order.order_no} has no line {data['line']}.", field="line"
                )
        slip = contact_services.contact_slip_raise(
            user=request.user, order=order, order_line=line, reason=data["reason"]
        )
        return self._answer(slip, status.HTTP_201_CREATED)

    @extend_schema(request=ContactSlipDecideSerializer, responses=ContactSlipSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def decide(self, request, number=None):
        """End the slip: replan (a new plan revision), outsource (supplier, quantity, due
        date: a purchase order) or accept_delay (new promised date, customer informed)."""
        body = ContactSlipDecideSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = dict(body.validated_data)
        code = data.pop("supplier")
        supplier = None
        if code:
            supplier = Supplier.objects.filter(code=code).first()
            if supplier is None:
                raise DomainError(f"There is no supplier {code}.", field="supplier")
        slip = contact_services.contact_slip_decide(
            user=request.user, slip=self.get_object(), supplier=supplier, **data
        )
        return self._answer(slip)

    @extend_schema(
        request=ContactSlipProposeSerializer, responses={201: ContactSlipSerializer(many=True)}
    )
    @action(detail=False, methods=["post"])
    @idempotent
    def propose(self, request):
        """A slip for every order line behind plan by more than the threshold (default
        10 %) that has no open slip yet."""
        body = ContactSlipProposeSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        slips = contact_services.contact_slips_propose(
            user=request.user,
            as_of=data.get("date") or timezone.localdate(),
            threshold=_percent(data.get("threshold")),
        )
        fresh = self.get_queryset().filter(pk__in=[s.pk for s in slips])
        return Response(self.get_serializer(fresh, many=True).data, status=status.HTTP_201_CREATED)
