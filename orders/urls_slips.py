"""Warehouse pages against customer orders: slips (pick, return, replenish), shipments and
delivery notes."""

from django.urls import path

from orders import views_return_requests as returns
from orders import views_shipments, views_slips

urlpatterns = [
    path("slips/", views_slips.slip_list, name="slip-list"),
    path("slips/new/", views_slips.slip_create, name="slip-create"),
    path("slips/orders/", views_slips.order_search, name="slip-order-search"),
    path("slips/work-orders/", views_slips.work_order_search, name="slip-work-order-search"),
    path("slips/<str:number>/", views_slips.slip_detail, name="slip-detail"),
    path("return-requests/", returns.return_request_list, name="return-request-list"),
    path(
        "return-requests/<str:number>/",
        returns.return_request_detail,
        name="return-request-detail",
    ),
    path(
        "return-requests/<str:number>/confirm/",
        returns.return_request_confirm,
        name="return-request-confirm",
    ),
    path(
        "return-requests/<str:number>/reject/",
        returns.return_request_reject,
        name="return-request-reject",
    ),
    path(
        "return-requests/<str:number>/cancel/",
        returns.return_request_cancel,
        name="return-request-cancel",
    ),
    path("shipments/new/", views_shipments.shipment_create, name="shipment-create"),
    path("deliveries/<str:delivery_no>/", views_shipments.delivery_detail, name="delivery-detail"),
]
