"""API routes of customer focus (5.1.2); `register` adds the viewsets to the shared router."""

from django.urls import path

from leadership.api.views import customers as views


def register(router) -> None:
    router.register("customer-feedback", views.CustomerFeedbackViewSet, basename="customer-feedback")
    router.register("customer-requirements", views.CustomerRequirementViewSet, basename="customer-requirement")
    router.register("response-targets", views.ResponseTargetViewSet, basename="response-target")
    router.register("order-volumes", views.OrderVolumeViewSet, basename="order-volume")


urlpatterns = [
    path("customer-figures/", views.CustomerFiguresView.as_view(), name="api-customer-figures"),
]
