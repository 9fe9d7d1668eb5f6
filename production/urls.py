from django.urls import path

from production import views

app_name = "production"
urlpatterns = [
    path("receipts/new/", views.fg_receipt_create, name="fg-receipt-create"),
    path("receipts/<str:number>/", views.fg_receipt_detail, name="fg-receipt-detail"),
]
