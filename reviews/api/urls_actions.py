"""API routes of the action register; `register` adds the viewset to the app router."""

from reviews.api.views import actions as views

urlpatterns = []


def register(router) -> None:
    """Add this area's viewsets to the app router."""
    router.register("actions", views.ActionViewSet, basename="action")
