"""API routes of actions."""

urlpatterns = []


def register(router) -> None:
    """Add this area's viewsets to the app router."""
