from django.urls import path

from materials import views

app_name = "materials"
urlpatterns = [
    path("items/", views.item_list, name="item-list"),
    path("items/<path:code>/", views.item_detail, name="item-detail"),
    path("processes/", views.process_list, name="process-list"),
]
