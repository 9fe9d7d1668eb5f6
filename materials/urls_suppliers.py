"""Supplier pages (under /materials/suppliers/)."""

from django.urls import path

from materials import views_suppliers as views

urlpatterns = [
    path("suppliers/", views.supplier_list, name="supplier-list"),
    path("suppliers/<path:code>/", views.supplier_detail, name="supplier-detail"),
]
