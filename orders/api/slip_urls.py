from rest_framework.routers import SimpleRouter

from orders.api import slip_views

router = SimpleRouter(trailing_slash=True)
router.register("slips", slip_views.SlipViewSet, basename="slip")
router.register("shipments", slip_views.ShipmentViewSet, basename="shipment")
urlpatterns = router.urls
