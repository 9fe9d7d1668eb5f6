from django.urls import path

from reports.api import commission_views
from reports.api import profit_views as views

urlpatterns = [
    path(
        "reports/customer-profit/",
        views.CustomerProfitView.as_view(),
        name="api-report-customer-profit",
    ),
    path(
        "reports/product-profit/",
        views.ProductProfitView.as_view(),
        name="api-report-product-profit",
    ),
    path(
        "reports/customer-tiers/",
        views.CustomerTiersView.as_view(),
        name="api-report-customer-tiers",
    ),
    path("reports/tier-settings/", views.TierSettingsView.as_view(), name="api-tier-settings"),
    path(
        "reports/tier-overrides/",
        views.TierOverrideListView.as_view(),
        name="api-tier-override-list",
    ),
    path(
        "reports/tier-overrides/<str:code>/",
        views.TierOverrideDetailView.as_view(),
        name="api-tier-override-detail",
    ),
    path("reports/tier-changes/", views.TierChangeListView.as_view(), name="api-tier-changes"),
    path(
        "reports/commissions/",
        commission_views.CommissionStatementView.as_view(),
        name="api-commissions",
    ),
    path(
        "reports/commission-policy/",
        commission_views.CommissionPolicyView.as_view(),
        name="api-commission-policy",
    ),
]
