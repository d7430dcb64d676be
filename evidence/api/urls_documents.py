"""API routes of issued documents: verification and the download log."""

from django.urls import path

from evidence.api.views import documents as views

urlpatterns = [
    path("verify/", views.VerifyView.as_view(), name="api-verify"),
]


def register(router) -> None:
    """Add this area's viewsets to the app router."""
    router.register("download-log", views.DownloadLogViewSet, basename="download-log")
