"""API routes of readiness."""

from django.urls import path

from evidence.api.views import readiness as views

urlpatterns = [
    path("readiness/", views.ReadinessView.as_view(), name="readiness"),
]


def register(router) -> None:
    """Add this area's viewsets to the app router (readiness is a plain view: nothing to add)."""
