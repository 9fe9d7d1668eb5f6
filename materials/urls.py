from django.urls import path

from materials import (
    urls_purchasing,
    urls_quality,
    urls_stock,
    urls_suppliers,
    views,
    views_defect_rates,
)

app_name = "materials"
urlpatterns = [
    path("items/", views.item_list, name="item-list"),
    path("items/<path:code>/", views.item_detail, name="item-detail"),
    path("processes/", views_defect_rates.process_list, name="process-list"),
    path(
        "processes/<path:code>/rate/",
        views_defect_rates.process_rate_change,
        name="process-rate-change",
    ),
]
urlpatterns += [*urls_purchasing.urlpatterns, *urls_stock.urlpatterns, *urls_quality.urlpatterns]
urlpatterns += urls_suppliers.urlpatterns
