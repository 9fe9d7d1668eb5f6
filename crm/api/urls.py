from rest_framework.routers import SimpleRouter

from crm.api import quotation_views, relationship_views, views

router = SimpleRouter(trailing_slash=True)
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("interactions", relationship_views.InteractionViewSet, basename="interaction")
router.register("follow-ups", relationship_views.FollowUpViewSet, basename="follow-up")
router.register("complaints", relationship_views.ComplaintViewSet, basename="complaint")
router.register("quotations", quotation_views.QuotationViewSet, basename="quotation")
urlpatterns = router.urls
