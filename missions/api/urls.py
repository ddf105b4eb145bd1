"""API routes of the missions app (served under /api/v1/ by peacekeeping.api)."""

from rest_framework.routers import SimpleRouter

from missions.api import views

router = SimpleRouter()
router.register("missions", views.MissionViewSet, basename="mission")
router.register("countries", views.CountryViewSet, basename="country")
router.register("personnel", views.PersonnelViewSet, basename="personnel")

urlpatterns = router.urls
