from django.urls import include, path

from production import views

app_name = "production"
urlpatterns = [
    path("receipts/new/", views.fg_receipt_create, name="fg-receipt-create"),
    path("receipts/<str:number>/", views.fg_receipt_detail, name="fg-receipt-detail"),
    path("", include("production.urls_plan")),
    path("", include("production.urls_mrp")),
]
