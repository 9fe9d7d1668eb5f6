from rest_framework.routers import SimpleRouter

from materials.api import stock_views

router = SimpleRouter(trailing_slash=True)
router.register("stock", stock_views.StockViewSet, basename="stock")
router.register("stock-moves", stock_views.StockMoveViewSet, basename="stock-move")
router.register(
    "stock-adjustments", stock_views.StockAdjustmentViewSet, basename="stock-adjustment"
)
urlpatterns = router.urls
