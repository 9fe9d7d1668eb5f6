"""Quality pages of the shop floor: NCRs, in-process checks, defect rates by month."""

from django.urls import path

from production import views_quality as views

urlpatterns = [
    path("quality/ncrs/", views.ncr_list, name="ncr-list"),
    path("quality/ncrs/new/", views.ncr_create, name="ncr-create"),
    path("quality/ncrs/<str:number>/", views.ncr_detail, name="ncr-detail"),
    path("quality/ncrs/<str:number>/dispose/", views.ncr_dispose, name="ncr-dispose"),
    path("quality/checks/", views.check_list, name="check-list"),
    path("quality/defect-rates/", views.defect_rates, name="defect-rates"),
]
