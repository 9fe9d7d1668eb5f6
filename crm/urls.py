from django.urls import path

from crm import views

app_name = "crm"
urlpatterns = [
    path("customers/", views.customer_list, name="customer-list"),
    path("customers/<path:code>/", views.customer_detail, name="customer-detail"),
]
