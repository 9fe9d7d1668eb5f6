"""Pages of machine load, downtime, production plans, daily reports, progress, contact
slips and the key-customer portfolio (namespace "production", set in production/urls.py)."""

from django.urls import path

from production import (
    views_adjust,
    views_contact,
    views_plan,
    views_portfolio,
    views_portfolio_cases,
    views_reports,
)

urlpatterns = [
    path("machine-load/", views_plan.load_view, name="machine-load"),
    path("downtime/", views_plan.downtime_list, name="downtime-list"),
    path("downtime/<int:pk>/delete/", views_plan.downtime_delete, name="downtime-delete"),
    path("plans/", views_plan.plan_list_view, name="plan-list"),
    path("plans/new/", views_plan.plan_new, name="plan-new"),
    path("plans/<int:pk>/", views_plan.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/<slug:action>/", views_plan.plan_action, name="plan-action"),
    path("plan-lines/<int:pk>/", views_plan.plan_line_edit, name="plan-line-edit"),
    path("plan-lines/<int:pk>/adjust/", views_adjust.plan_line_adjust, name="plan-line-adjust"),
    path("daily/", views_reports.daily_entry, name="daily-report"),
    path("daily/summary/", views_reports.daily_summary, name="daily-summary"),
    path("attainment/", views_reports.attainment, name="attainment"),
    path("contact-slips/", views_contact.slip_list, name="contact-slip-list"),
    path("contact-slips/new/", views_contact.slip_new, name="contact-slip-new"),
    path("contact-slips/propose/", views_contact.slip_propose, name="contact-slip-propose"),
    path("contact-slips/<str:number>/", views_contact.slip_detail, name="contact-slip-detail"),
    path(
        "contact-slips/<str:number>/decide/", views_contact.slip_decide, name="contact-slip-decide"
    ),
    path("portfolio/", views_portfolio.portfolio_list, name="portfolio"),
    path("portfolio/<int:pk>/", views_portfolio.portfolio_detail, name="portfolio-detail"),
    path(
        "portfolio/<int:pk>/<slug:action>/",
        views_portfolio.portfolio_action,
        name="portfolio-action",
    ),
    path(
        "portfolio-lines/<int:pk>/escalate/",
        views_portfolio_cases.portfolio_line_escalate,
        name="portfolio-escalate",
    ),
    path(
        "portfolio-cases/<int:pk>/decide/",
        views_portfolio_cases.portfolio_case_decision,
        name="portfolio-case-decide",
    ),
    path(
        "never-produced/<int:pk>/dispose/",
        views_portfolio_cases.never_produced_dispose,
        name="never-produced-dispose",
    ),
    path(
        "portfolio-lines/<int:pk>/request/",
        views_portfolio.portfolio_request,
        name="portfolio-request",
    ),
]
