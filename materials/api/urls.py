from rest_framework.routers import SimpleRouter

from materials.api import purchasing_urls, quality, stock_urls, views

router = SimpleRouter(trailing_slash=True)
router.register("items", views.ItemViewSet, basename="item")
router.register("bom-lines", views.BomLineViewSet, basename="bom-line")
router.register("processes", views.ProcessViewSet, basename="process")
router.register("work-centers", views.WorkCenterViewSet, basename="work-center")
router.register("routings", views.RoutingViewSet, basename="routing")
router.register("suppliers", views.SupplierViewSet, basename="supplier")
router.register("warehouses", views.WarehouseViewSet, basename="warehouse")
urlpatterns = router.urls

# Purchasing (requisitions, purchase orders, receipts) and stock have their own modules.
urlpatterns += [*purchasing_urls.urlpatterns, *stock_urls.urlpatterns, *quality.urlpatterns]
