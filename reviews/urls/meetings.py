"""Pages of meetings: types and schedules, the list, planning and editing, agenda preparation, attendance."""

from django.urls import path

from reviews.views import meetings as views

urlpatterns = [
    path("meeting-types/", views.MeetingTypeListView.as_view(), name="meeting-type-list"),
    path("meeting-types/new/", views.MeetingTypeFormView.as_view(), name="meeting-type-create"),
    path("meeting-types/<int:pk>/", views.meeting_type_detail, name="meeting-type-detail"),
    path("meeting-types/<int:pk>/edit/", views.MeetingTypeFormView.as_view(), name="meeting-type-update"),
    path("meeting-types/<int:pk>/deactivate/", views.meeting_type_deactivate, name="meeting-type-deactivate"),
    path("meeting-types/<int:pk>/activate/", views.meeting_type_activate, name="meeting-type-activate"),
    path("meeting-types/<int:pk>/plan/", views.meeting_type_plan, name="meeting-type-plan"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/mine/", views.MyMeetingsView.as_view(), name="my-meetings"),
    path("meetings/new/", views.MeetingFormView.as_view(), name="meeting-create"),
    path("meetings/<int:pk>/edit/", views.MeetingFormView.as_view(), name="meeting-update"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda, name="meeting-agenda"),
    path("meetings/<int:pk>/agenda/add/", views.agenda_item_add, name="meeting-agenda-add"),
    path("meetings/<int:pk>/invitees/add/", views.attendee_add, name="meeting-invitee-add"),
    path("agenda-items/<int:pk>/edit/", views.agenda_item_update, name="meeting-agenda-item-update"),
    path("agenda-items/<int:pk>/remove/", views.agenda_item_remove, name="meeting-agenda-item-remove"),
    path("agenda-items/<int:pk>/move/", views.agenda_item_move, name="meeting-agenda-item-move"),
    path("invitees/<int:pk>/remove/", views.attendee_remove, name="meeting-invitee-remove"),
    path("attendance/", views.AttendanceView.as_view(), name="attendance"),
]
