"""API routes of management reviews; `register` adds the viewsets to the shared router."""

from reviews.api.views import management_reviews as views

urlpatterns = []


def register(router) -> None:
    """Add this area's viewsets to the app router."""
    router.register("management-reviews", views.ManagementReviewViewSet, basename="management-review")
    router.register("review-inputs", views.ReviewInputViewSet, basename="review-input")
