"""API routes of internal audits and findings; `register` adds the viewsets to the shared router."""

from reviews.api.views import audits as views

urlpatterns = []


def register(router) -> None:
    """Add this area's viewsets to the app router."""
    router.register("internal-audits", views.InternalAuditViewSet, basename="internal-audit")
    router.register("audit-findings", views.AuditFindingViewSet, basename="audit-finding")
