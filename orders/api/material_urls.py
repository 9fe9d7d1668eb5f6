"""An order's requirement and material. Order numbers may contain a slash (imported
numbers): the paths end in a fixed word, so `path` finds the number."""

from django.urls import path

from orders.api import material_views as views

urlpatterns = [
    path(
        "orders/<path:order_no>/requirements/",
        views.OrderRequirementsView.as_view(),
        name="order-requirements",
    ),
    path(
        "orders/<path:order_no>/material/requisition/",
        views.OrderShortfallRequisitionView.as_view(),
        name="order-material-requisition",
    ),
    path(
        "orders/<path:order_no>/material/",
        views.OrderMaterialView.as_view(),
        name="order-material",
    ),
]
