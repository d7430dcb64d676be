"""API routes of the clause catalogue and evidence tags; `register` adds the viewsets to the app's router."""

from evidence.api.views import clauses as views


def register(router) -> None:
    router.register("clauses", views.ClauseViewSet, basename="clause")
    router.register("evidence-tags", views.EvidenceTagViewSet, basename="evidence-tag")


urlpatterns = []
