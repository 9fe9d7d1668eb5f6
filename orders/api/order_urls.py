from rest_framework.routers import SimpleRouter

from orders.api import order_views

router = SimpleRouter(trailing_slash=True)
router.register("orders", order_views.OrderViewSet, basename="order")
router.register("order-changes", order_views.OrderChangeViewSet, basename="order-change")
urlpatterns = router.urls
