from rest_framework.routers import SimpleRouter

from crm.api import views

router = SimpleRouter(trailing_slash=True)
router.register("customers", views.CustomerViewSet, basename="customer")
urlpatterns = router.urls
