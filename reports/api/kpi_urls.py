from django.urls import path

from reports.api import kpi_views as views

urlpatterns = [
    path(
        "reports/on-time-delivery/",
        views.OnTimeDeliveryView.as_view(),
        name="api-report-on-time-delivery",
    ),
    path(
        "reports/on-time-delivery/customers/",
        views.OnTimeByCustomerView.as_view(),
        name="api-report-on-time-delivery-customers",
    ),
    path(
        "reports/inventory-turns/",
        views.InventoryTurnsView.as_view(),
        name="api-report-inventory-turns",
    ),
    path(
        "reports/purchase-lead-time/",
        views.PurchaseLeadTimeView.as_view(),
        name="api-report-purchase-lead-time",
    ),
]
