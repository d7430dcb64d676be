"""API routes of the risk and opportunity register; `register` adds the viewset to the shared router."""

from django.urls import path

from objectives.api.views import risks as views


def register(router) -> None:
    router.register("risks", views.RiskViewSet, basename="risk")


urlpatterns = [
    path("risk-heat-map/", views.RiskHeatMapView.as_view(), name="api-risk-heat-map"),
]
