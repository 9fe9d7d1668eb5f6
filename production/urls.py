from django.urls import include, path

from production import views, views_work_orders

app_name = "production"
urlpatterns = [
    path("receipts/new/", views.fg_receipt_create, name="fg-receipt-create"),
    path("receipts/<str:number>/", views.fg_receipt_detail, name="fg-receipt-detail"),
    path(
        "receipts/<str:number>/reverse/",
        views_work_orders.fg_receipt_reverse,
        name="fg-receipt-reverse",
    ),
    path("work-orders/", views_work_orders.work_order_list, name="work-order-list"),
    path(
        "work-orders/<path:wo_no>/", views_work_orders.work_order_detail, name="work-order-detail"
    ),
    path(
        "mrp/production/release/",
        views_work_orders.release_work_orders,
        name="mrp-release",
    ),
    path("", include("production.urls_plan")),
    path("", include("production.urls_mrp")),
    path("", include("production.urls_quality")),
]
