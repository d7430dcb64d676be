"""API routes of roles, responsibilities and authorities (5.3), registered on the shared router."""

from django.urls import path

from leadership.api.views import positions as views


def register(router) -> None:
    router.register("positions", views.PositionViewSet, basename="position")
    router.register("position-holders", views.PositionHolderViewSet, basename="position-holder")
    router.register(
        "management-representative-appointments",
        views.ManagementRepresentativeAppointmentViewSet,
        basename="management-representative-appointment",
    )


urlpatterns = [
    path("responsibility-matrix/", views.ResponsibilityMatrixView.as_view(), name="api-responsibility-matrix"),
]
