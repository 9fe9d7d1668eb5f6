from django.urls import path

from orders.api import receivables_aging as views

urlpatterns = [
    path(
        "reports/receivables-aging/",
        views.ReceivablesAgingView.as_view(),
        name="api-report-receivables-aging",
    ),
    path(
        "customers/<str:code>/statement/",
        views.CustomerStatementView.as_view(),
        name="api-customer-statement",
    ),
]
