from django.urls import include, path

urlpatterns = [
    path("", include("crm.api.urls")),
    path("", include("materials.api.urls")),
    path("", include("orders.api.urls")),
    path("", include("production.api.urls")),
    path("", include("reports.api.urls")),
]
