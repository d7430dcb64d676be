"""Urls of resource requests and the quality budget (5.1.1.e, 7.1)."""

from django.urls import path

from leadership.views import resources as views

urlpatterns = [
    path("resources/", views.ResourceRequestListView.as_view(), name="resource-request-list"),
    path("resources/new/", views.ResourceRequestFormView.as_view(), name="resource-request-create"),
    path("resources/<int:pk>/", views.ResourceRequestDetailView.as_view(), name="resource-request-detail"),
    path("resources/<int:pk>/edit/", views.ResourceRequestFormView.as_view(), name="resource-request-update"),
    path("resources/<int:pk>/approve/", views.resource_request_approve, name="resource-request-approve"),
    path("resources/<int:pk>/reject/", views.resource_request_reject, name="resource-request-reject"),
    path("resources/<int:pk>/withdraw/", views.resource_request_withdraw, name="resource-request-withdraw"),
    path("resources/<int:pk>/spend/", views.resource_request_spend, name="resource-request-spend"),
    path("resources/budget/", views.quality_budget, name="quality-budget-current"),
    path("resources/budget/<int:year>/", views.quality_budget, name="quality-budget"),
    path("resources/budget/<int:year>/plan/", views.quality_budget_plan, name="quality-budget-plan"),
]
