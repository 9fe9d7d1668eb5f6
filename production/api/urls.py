from rest_framework.routers import SimpleRouter

from production.api import views

router = SimpleRouter(trailing_slash=True)
router.register("finished-receipts", views.FinishedGoodsReceiptViewSet, basename="finished-receipt")
urlpatterns = router.urls
