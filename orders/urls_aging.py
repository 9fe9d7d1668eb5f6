"""Receivables pages: the aging as of a date and a customer's statement (对账单)."""

from django.urls import path

from orders import views_aging as views

urlpatterns = [
    path("receivables/aging/", views.aging_page, name="receivables-aging"),
    path("receivables/statement/<str:code>/", views.statement_page, name="customer-statement"),
]
