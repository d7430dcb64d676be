"""Pages of the action register."""

from django.urls import path

from reviews.views import actions as views

urlpatterns = [
    path("actions/", views.ActionListView.as_view(), name="action-list"),
    path("actions/export.csv", views.action_export, name="action-export"),
    path("actions/mine/", views.MyActionsView.as_view(), name="my-actions"),
    path("actions/new/", views.ActionFormView.as_view(), name="action-create"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.ActionFormView.as_view(), name="action-update"),
    path("actions/<int:pk>/start/", views.action_start, name="action-start"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action-complete"),
    path("actions/<int:pk>/verify/", views.action_verify, name="action-verify"),
]
