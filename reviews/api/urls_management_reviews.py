"""API routes of management_reviews."""

urlpatterns = []


def register(router) -> None:
    """Add this area's viewsets to the app router."""
