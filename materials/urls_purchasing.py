"""Purchasing pages: requisitions, purchase orders, goods receipts."""

from django.urls import path

from materials import views_purchasing as views
from materials import views_requests

urlpatterns = [
    path("requisitions/", views.requisition_list, name="requisition-list"),
    path("requisitions/new/", views_requests.purchase_request, name="purchase-request"),
    path("requisitions/<str:number>/", views.requisition_detail, name="requisition-detail"),
    path("requisitions/<str:number>/cancel/", views.requisition_cancel, name="requisition-cancel"),
    path(
        "requisitions/<str:number>/purchase-order/",
        views.requisition_order,
        name="requisition-order",
    ),
    path("purchase-orders/", views.purchase_order_list, name="purchase-order-list"),
    path("purchase-orders/<str:po_no>/", views.purchase_order_detail, name="purchase-order-detail"),
    path(
        "purchase-orders/<str:po_no>/cancel/",
        views.purchase_order_cancel,
        name="purchase-order-cancel",
    ),
    path(
        "purchase-orders/<str:po_no>/close/",
        views.purchase_order_close,
        name="purchase-order-close",
    ),
    path(
        "purchase-orders/<str:po_no>/lines/<int:line>/receive/",
        views.purchase_order_receive,
        name="purchase-order-receive",
    ),
    path("receipts/", views.receipt_list, name="receipt-list"),
    path("receipts/<str:number>/", views.receipt_detail, name="receipt-detail"),
]
