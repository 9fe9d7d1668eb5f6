"""Quality control pages: inspections and the suppliers' incoming quality."""

from django.urls import path

from materials import views_quality as views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/suppliers/", views.supplier_quality, name="supplier-quality"),
    path("inspections/<str:number>/", views.inspection_detail, name="inspection-detail"),
    path("inspections/<str:number>/decide/", views.inspection_decide, name="inspection-decide"),
    path("inspections/<str:number>/return/", views.inspection_return, name="inspection-return"),
]
