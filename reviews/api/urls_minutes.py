"""API routes of minutes; `register` adds the viewsets to the app router.

The meeting routes add only the minutes' own actions (`meetings/{id}/minutes|start|sign|amend/`)
beside the meetings area's list and detail; agenda items likewise get only `minutes/`.
"""

from reviews.api.views import minutes as views

urlpatterns = []


def register(router) -> None:
    """Add this area's viewsets to the app router."""
    router.register("attendance", views.AttendanceViewSet, basename="attendance")
    router.register("agenda-items", views.AgendaItemMinutesViewSet, basename="agenda-item-minutes")
    router.register("decisions", views.DecisionViewSet, basename="decision")
    router.register("meetings", views.MeetingMinutesViewSet, basename="meeting-minutes")
