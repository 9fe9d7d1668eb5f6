from django.urls import path

from materials import urls_purchasing, urls_stock, views

app_name = "materials"
urlpatterns = [
    path("items/", views.item_list, name="item-list"),
    path("items/<path:code>/", views.item_detail, name="item-detail"),
    path("processes/", views.process_list, name="process-list"),
]
urlpatterns += [*urls_purchasing.urlpatterns, *urls_stock.urlpatterns]
