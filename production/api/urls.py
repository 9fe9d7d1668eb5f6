from django.urls import path
from rest_framework.routers import SimpleRouter

from production.api import (
    adjust_api,
    mrp_views,
    plan_views,
    portfolio_api,
    portfolio_cases_api,
    quality_api,
    report_views,
    views,
    work_order_views,
)

router = SimpleRouter(trailing_slash=True)
router.register("finished-receipts", views.FinishedGoodsReceiptViewSet, basename="finished-receipt")
router.register("work-orders", work_order_views.WorkOrderViewSet, basename="work-order")
router.register("downtimes", plan_views.DowntimeViewSet, basename="downtime")
router.register("plans", plan_views.PlanViewSet, basename="plan")
router.register("plan-lines", plan_views.PlanLineViewSet, basename="plan-line")
router.register("plan-adjustments", adjust_api.PlanAdjustmentViewSet, basename="plan-adjustment")
router.register("daily-reports", report_views.DailyReportViewSet, basename="daily-report")
router.register("contact-slips", report_views.ContactSlipViewSet, basename="contact-slip")
router.register("portfolios", portfolio_api.PortfolioViewSet, basename="portfolio")
router.register("portfolio-lines", portfolio_api.PortfolioLineViewSet, basename="portfolio-line")
router.register(
    "portfolio-cases", portfolio_cases_api.PortfolioCaseViewSet, basename="portfolio-case"
)
router.register("mrp/planned-orders", mrp_views.PlannedOrderViewSet, basename="mrp-planned-order")
router.register("mrp/runs", mrp_views.MrpRunViewSet, basename="mrp-run")
urlpatterns = [
    *router.urls,
    *quality_api.urlpatterns,
    path("machine-load/", plan_views.MachineLoadView.as_view(), name="api-machine-load"),
    path("production-progress/", report_views.ProgressView.as_view(), name="api-progress"),
    path("defect-rates/", report_views.DefectRatesView.as_view(), name="api-defect-rates"),
    path("never-produced/", portfolio_api.NeverProducedView.as_view(), name="api-never-produced"),
    path(
        "never-produced/<int:pk>/dispose/",
        portfolio_cases_api.NeverProducedDisposeView.as_view(),
        name="api-never-produced-dispose",
    ),
    path(
        "plan-lines/<int:pk>/move/",
        adjust_api.PlanLineMoveView.as_view(),
        name="api-plan-line-move",
    ),
    path(
        "plan-lines/<int:pk>/split/",
        adjust_api.PlanLineSplitView.as_view(),
        name="api-plan-line-split",
    ),
    path(
        "plan-lines/<int:pk>/push/",
        adjust_api.PlanLinePushView.as_view(),
        name="api-plan-line-push",
    ),
    path(
        "portfolio-lines/<int:pk>/escalate/",
        portfolio_cases_api.PortfolioLineEscalateView.as_view(),
        name="api-portfolio-line-escalate",
    ),
]
