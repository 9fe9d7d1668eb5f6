from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reports.api import views

router = SimpleRouter(trailing_slash=True)
urlpatterns = router.urls + [
    path("imports/", views.WorkbookImportView.as_view(), name="api-workbook-import"),
    path("exports/workbook/", views.WorkbookExportView.as_view(), name="api-workbook-export"),
    path("", include("reports.api.profit_urls")),
    path("", include("reports.api.kpi_urls")),
]
