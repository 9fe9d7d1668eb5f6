"""The material pages of customer orders. Order numbers may contain a slash (imported
numbers), so the action comes before the plain page."""

from django.urls import path

from orders import views_defect_rates, views_material

urlpatterns = [
    path("material/", views_material.material_list, name="material-list"),
    path(
        "defect-rates/open-orders/",
        views_defect_rates.defect_rates_reapply,
        name="defect-rates-reapply",
    ),
    path(
        "defect-rates/open-orders/reapply/",
        views_defect_rates.defect_rates_reapply_confirm,
        name="defect-rates-reapply-confirm",
    ),
    path(
        "material/<path:order_no>/requisition/",
        views_material.raise_requisition,
        name="order-material-requisition",
    ),
    path("material/<path:order_no>/", views_material.order_material_page, name="order-material"),
]
