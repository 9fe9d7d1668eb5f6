from rest_framework.routers import SimpleRouter

from materials.api import purchasing_views as views

router = SimpleRouter(trailing_slash=True)
router.register("requisitions", views.RequisitionViewSet, basename="requisition")
router.register("purchase-orders", views.PurchaseOrderViewSet, basename="purchase-order")
router.register("receipts", views.ReceiptViewSet, basename="receipt")
urlpatterns = router.urls
