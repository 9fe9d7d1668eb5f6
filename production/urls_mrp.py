"""MRP pages (under /production/mrp/)."""

from django.urls import path

from production import views_mrp as views

urlpatterns = [
    path("mrp/shortfalls/", views.shortfall_list, name="shortfall-list"),
    path("mrp/shortfalls/requisition/", views.shortfall_requisition, name="mrp-requisition"),
    path("mrp/run/", views.run_now, name="mrp-run"),
    path("mrp/production/", views.production_list, name="mrp-production"),
    path("mrp/items/<str:code>/", views.item_view, name="mrp-item"),
    path("mrp/planned/<int:pk>/", views.planned_order_detail, name="mrp-planned-order"),
]
