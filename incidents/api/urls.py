"""API routes of the incidents app (served under /api/v1/ by peacekeeping.api)."""

from rest_framework.routers import SimpleRouter

from incidents.api import views

router = SimpleRouter()
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("casualties", views.CasualtyViewSet, basename="casualty")
router.register("armed-groups", views.ArmedGroupViewSet, basename="armedgroup")

urlpatterns = router.urls
