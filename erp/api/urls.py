from django.urls import include, path

urlpatterns = [
    path("", include("crm.api.urls")),
    path("", include("materials.api.urls")),
    path("", include("orders.api.urls")),
    # Receivables aging report and customer statements (CONTRACT.md section 8).
    path("", include("orders.api.aging_urls")),
    path("", include("production.api.urls")),
    path("", include("reports.api.urls")),
]
