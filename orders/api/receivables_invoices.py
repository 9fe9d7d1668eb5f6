"""`/api/v1/invoices/` and `/api/v1/credit-notes/` (CONTRACT.md section 8): lists with
filters, one document, and POSTs through orders.receivables.invoicing (whole or nothing;
refusals 400/409 with `detail`; an `Idempotency-Key` applies a retried POST once)."""

import django_filters as filters
from django.db.models import F
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from erp.api.filters import SearchFilter
from erp.api.idempotency import idempotent
from erp.api.permissions import ModelPermissions
from materials.api.input_errors import invalid_input
from orders.api import receivables_serializers as s
from orders.receivables import invoicing
from orders.receivables import selectors as sel
from orders.receivables.invoicing import CreditLineInput
from orders.receivables.models import CreditNote, CreditNoteReason, Invoice, InvoiceStatus
from orders.receivables.payment_selectors import scoped_to_salesperson


class InvoiceFilter(filters.FilterSet):
    customer = filters.CharFilter(field_name="customer__code", help_text="Customer code.")
    status = filters.ChoiceFilter(choices=InvoiceStatus.choices)
    open = filters.BooleanFilter(
        method="filter_open", help_text="true: open invoices with something left to collect."
    )
    overdue = filters.BooleanFilter(
        method="filter_overdue", help_text="true: open invoices past their due date today."
    )
    salesperson = filters.CharFilter(
        field_name="customer__salesperson__username", help_text="Username of the salesperson."
    )
    date_from = filters.DateFilter(field_name="invoice_date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="invoice_date", lookup_expr="lte")
    due_from = filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Invoice
        fields = ["customer", "status", "open", "overdue", "salesperson", "date_from", "date_to"]

    def _open(self, queryset):
        return queryset.filter(status=InvoiceStatus.OPEN, gross_amount__gt=F("allocated_amount"))

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        opened = self._open(queryset)
        return opened if value else queryset.exclude(pk__in=opened.values("pk"))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return self._open(queryset).filter(due_date__lt=timezone.localdate())


class CreditNoteFilter(filters.FilterSet):
    customer = filters.CharFilter(field_name="customer__code", help_text="Customer code.")
    invoice = filters.CharFilter(field_name="invoice__invoice_no", help_text="Invoice number.")
    reason = filters.ChoiceFilter(choices=CreditNoteReason.choices)
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = CreditNote
        fields = ["customer", "invoice", "reason", "date_from", "date_to"]


class InvoicePermissions(ModelPermissions):
    """Reading needs view; creating add; cancelling and the VAT invoice number change."""

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) in ("cancel", "vat_invoice_no"):
            user = request.user
            return bool(user and user.is_authenticated and user.has_perm("orders.change_invoice"))
        return super().has_permission(request, view)


class InvoiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Sales invoices (销售发票) of shipped quantities. A POST invoices given shipments
    (`lines`) or everything shipped and not invoiced (`all_shipped`); a quantity already
    invoiced is a 409 and nothing is written. Never edited: cancelled while nothing is
    allocated, or corrected by a credit note; only the VAT invoice number is recorded."""

    permission_classes = [InvoicePermissions]
    filterset_class = InvoiceFilter
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    search_fields = ["invoice_no", "vat_invoice_no", "customer__code", "customer__name"]
    ordering_fields = ["invoice_date", "due_date", "invoice_no", "gross_amount"]
    ordering = ["-invoice_date", "-invoice_no"]
    lookup_field = "invoice_no"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        # Sales reads its own customers' invoices, as on the pages and for payments.
        queryset = sel.invoice_list() if self.action == "list" else sel.invoices_for_api()
        if getattr(self, "swagger_fake_view", False):  # the schema, without a user
            return queryset
        return scoped_to_salesperson(queryset, self.request.user, "customer")

    def get_serializer_class(self):
        return s.InvoiceSerializer if self.action == "list" else s.InvoiceDetailSerializer

    def _answer(self, invoice: Invoice, code: int = status.HTTP_200_OK) -> Response:
        fresh = sel.invoices_for_api().get(pk=invoice.pk)
        return Response(s.InvoiceDetailSerializer(fresh).data, status=code)

    @extend_schema(request=s.InvoiceCreateSerializer, responses={201: s.InvoiceDetailSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = s.InvoiceCreateSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        invoice = invoicing.create_invoice(
            customer=data["customer"],
            invoice_date=data["invoice_date"] or timezone.localdate(),
            lines=[(ln["shipment"], ln["quantity"]) for ln in data.get("lines") or []],
            all_shipped=data["all_shipped"],
            vat_invoice_no=data["vat_invoice_no"],
            notes=data["notes"],
            by=request.user,
        )
        return self._answer(invoice, status.HTTP_201_CREATED)

    @extend_schema(request=s.InvoiceCancelSerializer, responses=s.InvoiceDetailSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, invoice_no=None):
        """Cancel an invoice nothing is allocated to (409 otherwise): its shipped
        quantities may be invoiced again."""
        invoice = self.get_object()
        body = s.InvoiceCancelSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        invoice = invoicing.cancel_invoice(
            invoice=invoice, reason=body.validated_data["reason"], by=request.user
        )
        return self._answer(invoice)

    @extend_schema(request=s.VatInvoiceNoSerializer, responses=s.InvoiceDetailSerializer)
    @action(detail=True, methods=["post"], url_path="vat-invoice-no")
    @idempotent
    def vat_invoice_no(self, request, invoice_no=None):
        """Record the VAT invoice number (增值税发票号) the tax office issued."""
        invoice = self.get_object()
        body = s.VatInvoiceNoSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        invoice = invoicing.set_vat_invoice_no(
            invoice=invoice, vat_invoice_no=body.validated_data["vat_invoice_no"], by=request.user
        )
        return self._answer(invoice)


class CreditNoteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Credit notes (红字发票) on invoices: goods returned or a price correction. Their
    gross never exceeds the invoice's gross minus earlier credit notes (409)."""

    serializer_class = s.CreditNoteSerializer
    permission_classes = [ModelPermissions]
    filterset_class = CreditNoteFilter
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    search_fields = ["credit_note_no", "invoice__invoice_no", "customer__code", "customer__name"]
    ordering_fields = ["date", "credit_note_no"]
    ordering = ["-date", "-credit_note_no"]
    lookup_field = "credit_note_no"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, without a user
            return sel.credit_notes_for_api()
        return scoped_to_salesperson(sel.credit_notes_for_api(), self.request.user, "customer")

    @extend_schema(request=s.CreditNoteCreateSerializer, responses={201: s.CreditNoteSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = s.CreditNoteCreateSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        note = invoicing.create_credit_note(
            invoice=data["invoice"],
            date=data["date"] or timezone.localdate(),
            reason=data["reason"],
            lines=[
                CreditLineInput(
                    invoice_line=ln["shipment"] or None,
                    quantity=ln["quantity"],
                    unit_price=ln["unit_price"],
                    description=ln["description"],
                )
                for ln in data["lines"]
            ],
            vat_invoice_no=data["vat_invoice_no"],
            notes=data["notes"],
            by=request.user,
        )
        fresh = sel.credit_notes_for_api().get(pk=note.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


router = SimpleRouter(trailing_slash=True)
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("credit-notes", CreditNoteViewSet, basename="credit-note")
urlpatterns = router.urls
