from django.urls import path

from reports import (
    views,
    views_commissions,
    views_dashboard,
    views_kpi,
    views_mrp_export,
    views_profit,
)

app_name = "reports"
urlpatterns = [
    path("workbook/", views.workbook, name="workbook"),
    path("workbook/export/", views.workbook_export, name="workbook-export"),
    path("workbook/template/", views.workbook_template, name="workbook-template"),
    path("mrp/planned-orders.xlsx", views_mrp_export.mrp_planned_orders_xlsx, name="mrp-xlsx"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/run/", views_dashboard.rankings_run, name="rankings-run"),
    path("profit/customers/", views_profit.customer_profit, name="customer-profit"),
    path("profit/compare/", views_profit.customer_compare, name="customer-compare"),
    path(
        "profit/customers/<str:code>/",
        views_profit.customer_profit_detail,
        name="customer-profit-detail",
    ),
    path("profit/products/", views_profit.product_profit, name="product-profit"),
    path("tiers/", views_profit.tiers, name="tiers"),
    path("tiers/settings/", views_profit.tier_settings, name="tier-settings"),
    path("tiers/<str:code>/override/", views_profit.tier_override, name="tier-override"),
    path("download/<str:name>.xlsx", views_profit.report_download, name="report-download"),
    path("commissions/", views_commissions.commissions, name="commissions"),
    path(
        "commissions/download/",
        views_commissions.commissions_download,
        name="commissions-download",
    ),
    path("commissions/policy/", views_commissions.commission_policy, name="commission-policy"),
    path("on-time-delivery/", views_kpi.on_time_delivery, name="on-time-delivery"),
    path("inventory-turns/", views_kpi.inventory_turns, name="inventory-turns"),
    path("purchase-lead-time/", views_kpi.purchase_lead_time, name="purchase-lead-time"),
    path("figures/<str:name>.xlsx", views_kpi.kpi_download, name="kpi-download"),
]
