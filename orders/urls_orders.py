"""Pages of customer orders and order change notices. Order numbers may contain a slash
(imported numbers), so the actions on one order come before its plain page."""

from django.urls import path

from orders import views_credit, views_margin_floor, views_order_entry
from orders import views_orders as views

urlpatterns = [
    path("", views.order_list, name="order-list"),
    path("new/", views.order_create, name="order-create"),
    path("new/line/", views.order_line_row, name="order-line-row"),
    path("new/customer/", views_order_entry.customer_lookup, name="order-entry-customer"),
    path("new/item/", views_order_entry.item_lookup, name="order-entry-item"),
    path("margin-floor/", views_margin_floor.margin_floor, name="margin-floor"),
    path("changes/", views.change_list, name="change-list"),
    path("credit/", views_credit.credit_approval_list, name="credit-approval-list"),
    path("credit/<int:pk>/approve/", views_credit.credit_approve, name="credit-approve"),
    path("credit/<int:pk>/reject/", views_credit.credit_reject, name="credit-reject"),
    path("changes/<path:number>/", views.change_detail, name="change-detail"),
    path("order/<path:order_no>/edit/", views.order_edit, name="order-edit"),
    path("order/<path:order_no>/confirm/", views.order_confirm, name="order-confirm"),
    path("order/<path:order_no>/close/", views.order_close, name="order-close"),
    path("order/<path:order_no>/change/", views.change_create, name="change-create"),
    path(
        "order/<path:order_no>/confirmation/",
        views_order_entry.order_confirmation,
        name="order-confirmation",
    ),
    path("order/<path:order_no>/", views.order_detail, name="order-detail"),
]
