"""Quotation pages (报价单), part of the crm namespace (crm/urls.py adds them)."""

from django.urls import path

from crm import views_quotations as views

urlpatterns = [
    path("quotations/", views.quotation_list_view, name="quotation-list"),
    path("quotations/new/", views.quotation_create, name="quotation-create"),
    path("quotations/line-row/", views.quotation_line_row, name="quotation-line-row"),
    path("quotations/<str:number>/", views.quotation_detail, name="quotation-detail"),
    path("quotations/<str:number>/edit/", views.quotation_edit, name="quotation-edit"),
    path("quotations/<str:number>/print/", views.quotation_print, name="quotation-print"),
    path("quotations/<str:number>/convert/", views.quotation_convert, name="quotation-convert"),
    *(
        path(
            f"quotations/<str:number>/{move}/",
            views.quotation_move,
            {"move": move},
            name=f"quotation-{move}",
        )
        for move in ("send", "accept", "cancel")
    ),
]
