"""API routes of the accountability app (served under /api/v1/ by peacekeeping.api)."""

from rest_framework.routers import SimpleRouter

from accountability.api import views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("investigations", views.InvestigationViewSet, basename="investigation")
router.register("suspects", views.SuspectViewSet, basename="suspect")
router.register("follow-ups", views.FollowUpViewSet, basename="followup")
router.register("capacity-support", views.CapacitySupportViewSet, basename="capacitysupport")

urlpatterns = router.urls
