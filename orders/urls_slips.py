"""Warehouse pages against customer orders: slips (pick, return, replenish), shipments and
delivery notes."""

from django.urls import path

from orders import views_shipments, views_slips

urlpatterns = [
    path("slips/", views_slips.slip_list, name="slip-list"),
    path("slips/new/", views_slips.slip_create, name="slip-create"),
    path("slips/orders/", views_slips.order_search, name="slip-order-search"),
    path("slips/work-orders/", views_slips.work_order_search, name="slip-work-order-search"),
    path("slips/<str:number>/", views_slips.slip_detail, name="slip-detail"),
    path("shipments/new/", views_shipments.shipment_create, name="shipment-create"),
    path("deliveries/<str:delivery_no>/", views_shipments.delivery_detail, name="delivery-detail"),
]
