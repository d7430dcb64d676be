"""Pages of minutes: the meeting's record, live recording, signing, amendments and decisions."""

from django.urls import path

from reviews.views import minutes as views

urlpatterns = [
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/record/", views.MeetingRecordView.as_view(), name="meeting-record"),
    path("meetings/<int:pk>/start/", views.MeetingStartView.as_view(), name="meeting-start"),
    path("meetings/<int:pk>/attendees/add/", views.AttendeeAddView.as_view(), name="attendee-add"),
    path("meetings/<int:pk>/notes/", views.MeetingNotesView.as_view(), name="meeting-notes"),
    path("meetings/<int:pk>/items/add/", views.AgendaItemAddView.as_view(), name="agenda-item-add"),
    path("meetings/<int:pk>/decisions/add/", views.DecisionAddView.as_view(), name="decision-add"),
    path("meetings/<int:pk>/sign/", views.MeetingSignView.as_view(), name="meeting-sign"),
    path("meetings/<int:pk>/amend/", views.MeetingAmendView.as_view(), name="meeting-amend"),
    path("attendees/<int:pk>/mark/", views.AttendeeMarkView.as_view(), name="attendee-mark"),
    path("agenda-items/<int:pk>/minutes/", views.AgendaItemMinutesView.as_view(), name="agenda-item-minutes"),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/edit/", views.DecisionUpdateView.as_view(), name="decision-update"),
    path("decisions/<int:pk>/remove/", views.DecisionRemoveView.as_view(), name="decision-remove"),
    path("decisions/<int:pk>/actions/add/", views.DecisionActionAddView.as_view(), name="decision-action-add"),
    path(
        "decisions/<int:pk>/resource-request/",
        views.DecisionResourceRequestView.as_view(),
        name="decision-resource-request",
    ),
    path(
        "decisions/<int:pk>/target-revision/",
        views.DecisionTargetRevisionView.as_view(),
        name="decision-target-revision",
    ),
]
