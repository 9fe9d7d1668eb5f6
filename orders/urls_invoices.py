"""Invoice (销售发票) and credit-note (红字发票) pages."""

from django.urls import path

from orders import views_invoices as views

urlpatterns = [
    path("invoices/", views.invoice_list, name="invoice-list"),
    path("invoices/new/", views.invoice_create, name="invoice-create"),
    path("invoices/<str:invoice_no>/", views.invoice_detail, name="invoice-detail"),
    path("invoices/<str:invoice_no>/cancel/", views.invoice_cancel, name="invoice-cancel"),
    path(
        "invoices/<str:invoice_no>/vat-invoice-no/",
        views.invoice_vat_no,
        name="invoice-vat-invoice-no",
    ),
    path(
        "invoices/<str:invoice_no>/credit-note/",
        views.credit_note_create,
        name="credit-note-create",
    ),
    path("credit-notes/", views.credit_note_list, name="credit-note-list"),
    path("credit-notes/<str:credit_note_no>/", views.credit_note_detail, name="credit-note-detail"),
]
