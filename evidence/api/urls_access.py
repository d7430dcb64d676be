"""API routes of auditor access; `register` adds the viewset to the shared router."""

from evidence.api.views import access as views

urlpatterns = []


def register(router) -> None:
    router.register("auditor-access", views.AuditorAccessViewSet, basename="auditor-access")
