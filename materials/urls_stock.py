"""Stock pages: balances, an item's ledger, stock-count adjustments."""

from django.urls import path

from materials import views_stock as views

urlpatterns = [
    path("stock/", views.stock_list, name="stock-list"),
    path("stock/adjustments/", views.adjustment_list, name="adjustment-list"),
    path("stock/adjustments/new/", views.adjustment_create, name="adjustment-create"),
    path("stock/adjustments/<str:number>/", views.adjustment_detail, name="adjustment-detail"),
    path(
        "stock/adjustments/<str:number>/approve/",
        views.adjustment_approve_view,
        name="adjustment-approve",
    ),
    path(
        "stock/adjustments/<str:number>/reject/",
        views.adjustment_reject_view,
        name="adjustment-reject",
    ),
    path("stock/items/<path:code>/", views.stock_ledger, name="stock-ledger"),
]
