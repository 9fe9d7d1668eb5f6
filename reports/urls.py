from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("workbook/", views.workbook, name="workbook"),
    path("workbook/export/", views.workbook_export, name="workbook-export"),
    path("workbook/template/", views.workbook_template, name="workbook-template"),
]
