"""API routes of the calendar area.

The caller has at most one working feed, so its routes name no id and are wired here rather than
through the router (whose list route would describe the feed as a paginated list).
"""

from django.urls import path

from reviews.api.views import calendar as views

feed = views.CalendarFeedViewSet.as_view({"get": "retrieve", "post": "create"})
reset = views.CalendarFeedViewSet.as_view({"post": "reset"})
revoke = views.CalendarFeedViewSet.as_view({"post": "revoke"})

urlpatterns = [
    path("calendar-feed/", feed, name="calendar-feed-detail"),
    path("calendar-feed/reset/", reset, name="calendar-feed-reset"),
    path("calendar-feed/revoke/", revoke, name="calendar-feed-revoke"),
]


def register(router) -> None:
    """Nothing to add to the router: the feed's routes are in `urlpatterns`."""
