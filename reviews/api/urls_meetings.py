"""API routes of meetings; `register` adds the viewsets to the app router."""

from reviews.api.views import meetings as views

urlpatterns = []


def register(router) -> None:
    """Add this area's viewsets to the app router."""
    router.register("meeting-types", views.MeetingTypeViewSet, basename="meeting-type")
    router.register("meetings", views.MeetingViewSet, basename="meeting")
