"""Urls of positions, holders and the management representative (5.3)."""

from django.urls import path

from leadership.views import positions as views

urlpatterns = [
    path("positions/", views.PositionListView.as_view(), name="position-list"),
    path("positions/new/", views.PositionFormView.as_view(), name="position-create"),
    path("positions/mine/", views.MyPositionsView.as_view(), name="my-positions"),
    path("positions/matrix/", views.ResponsibilityMatrixView.as_view(), name="responsibility-matrix"),
    path("positions/<int:pk>/", views.PositionDetailView.as_view(), name="position-detail"),
    path("positions/<int:pk>/edit/", views.PositionFormView.as_view(), name="position-update"),
    path("positions/<int:pk>/holders/new/", views.PositionHolderAssignView.as_view(), name="position-holder-assign"),
    path("positions/<int:pk>/acknowledge/", views.PositionAcknowledgeView.as_view(), name="position-acknowledge"),
    path("positions/holders/<int:pk>/end/", views.PositionHolderEndView.as_view(), name="position-holder-end"),
    path("positions/management-representative/", views.AppointmentListView.as_view(), name="appointment-list"),
    path("positions/management-representative/new/", views.AppointmentFormView.as_view(), name="appointment-create"),
    path(
        "positions/management-representative/<int:pk>/",
        views.AppointmentDetailView.as_view(),
        name="appointment-detail",
    ),
    path(
        "positions/management-representative/<int:pk>/edit/",
        views.AppointmentFormView.as_view(),
        name="appointment-update",
    ),
    path(
        "positions/management-representative/<int:pk>/sign/",
        views.AppointmentSignView.as_view(),
        name="appointment-sign",
    ),
]
