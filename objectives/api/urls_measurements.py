"""API routes of measurements; `register` adds the viewsets to the shared router."""

from django.urls import path

from objectives.api.views import measurements as views


def register(router) -> None:
    router.register("measurements", views.MeasurementViewSet, basename="measurement")


urlpatterns = [
    path("objective-health/", views.ObjectiveHealthView.as_view(), name="api-objective-health"),
]
