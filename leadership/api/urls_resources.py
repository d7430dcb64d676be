"""API routes of resource requests and the quality budget (5.1.1.e, 7.1)."""

from leadership.api.views.resources import QualityBudgetViewSet, ResourceRequestViewSet


def register(router) -> None:
    router.register("resource-requests", ResourceRequestViewSet, basename="resourcerequest")
    router.register("quality-budgets", QualityBudgetViewSet, basename="qualitybudget")


urlpatterns = []
