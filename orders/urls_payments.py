"""Pages of customer payments (收款) and their allocation (核销)."""

from django.urls import path

from orders import views_payments as views

urlpatterns = [
    path("payments/", views.payment_list, name="payment-list"),
    path("payments/new/", views.payment_create, name="payment-create"),
    path("payments/open-invoices/", views.payment_open_invoices, name="payment-open-invoices"),
    path("payments/<str:payment_no>/allocate/", views.payment_allocate, name="payment-allocate"),
    path("payments/<str:payment_no>/reverse/", views.payment_reverse, name="payment-reverse"),
    path("payments/<str:payment_no>/", views.payment_detail, name="payment-detail"),
]
