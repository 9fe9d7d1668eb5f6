from django.urls import path

from crm import (
    views,
    views_360,
    views_complaints,
    views_contact_reasons,
    views_followups,
    views_satisfaction,
)
from crm.urls_quotations import urlpatterns as quotation_urls

app_name = "crm"
urlpatterns = [
    path("customers/", views.customer_list, name="customer-list"),
    path("lookup/", views_360.customer_search, name="customer-search"),
    path("survey/<str:token>/", views_satisfaction.survey_public, name="survey-public"),
    path("satisfaction/", views_satisfaction.satisfaction, name="satisfaction"),
    path("contacts/analysis/", views_contact_reasons.contact_analysis, name="contact-analysis"),
    path("360/<path:code>/survey/", views_satisfaction.survey_by_phone, name="survey-phone"),
    path("360/<path:code>/contacts/new/", views_360.interaction_create, name="interaction-create"),
    path("360/<path:code>/contacts/", views_360.interaction_list, name="interaction-list"),
    path(
        "360/<path:code>/follow-ups/new/", views_followups.followup_create, name="followup-create"
    ),
    path("360/<path:code>/", views_360.customer_360, name="customer-360"),
    path("follow-ups/", views_followups.followup_list, name="followup-list"),
    path("follow-ups/<int:pk>/done/", views_followups.followup_done, name="followup-done"),
    path(
        "follow-ups/<int:pk>/cancel/", views_followups.followup_cancel_view, name="followup-cancel"
    ),
    path("complaints/", views_complaints.complaint_list, name="complaint-list"),
    path("complaints/new/", views_complaints.complaint_create, name="complaint-create"),
    path("complaints/<path:number>/work/", views_complaints.complaint_work, name="complaint-work"),
    path(
        "complaints/<path:number>/satisfaction/",
        views_complaints.complaint_satisfaction,
        name="complaint-satisfaction",
    ),
    path("complaints/<path:number>/", views_complaints.complaint_detail, name="complaint-detail"),
    path(
        "customers/<path:code>/credit-terms/",
        views.customer_credit_terms,
        name="customer-credit-terms",
    ),
    path("customers/<path:code>/", views.customer_detail, name="customer-detail"),
]
# Quotations (报价单): crm/urls_quotations.py
urlpatterns += quotation_urls
