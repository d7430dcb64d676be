"""API routes of evidence packs; `register` adds the viewset to the app's router."""

from evidence.api.views import packs as views

urlpatterns = []


def register(router) -> None:
    """Add this area's viewsets to the app router."""
    router.register("evidence-packs", views.EvidencePackViewSet, basename="evidence-pack")
