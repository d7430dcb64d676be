"""Pages of the calendar area: My calendar, its feed actions, the subscription feed, one meeting's .ics."""

from django.urls import path

from reviews.views import calendar as views

urlpatterns = [
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/create/", views.CalendarFeedCreateView.as_view(), name="calendar-create"),
    path("calendar/reset/", views.CalendarFeedResetView.as_view(), name="calendar-reset"),
    path("calendar/revoke/", views.CalendarFeedRevokeView.as_view(), name="calendar-revoke"),
    # No login: calendar apps cannot sign in, the token in the URL is the key.
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar-feed"),
    path("meetings/<int:pk>/ics/", views.MeetingIcsView.as_view(), name="meeting-ics"),
]
