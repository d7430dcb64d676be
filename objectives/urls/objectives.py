"""URLs of quality objectives: the objective page, create and edit, lifecycle, plan, revisions, cascade."""

from django.urls import path

from objectives.views import objectives as views

urlpatterns = [
    path("new/", views.ObjectiveFormView.as_view(), name="objective-create"),
    path("<int:pk>/", views.objective_detail, name="objective-detail"),
    path("<int:pk>/edit/", views.ObjectiveFormView.as_view(), name="objective-update"),
    path("<int:pk>/activate/", views.objective_activate, name="objective-activate"),
    path("<int:pk>/close/", views.objective_close, name="objective-close"),
    path("<int:pk>/cancel/", views.objective_cancel, name="objective-cancel"),
    path("<int:pk>/plan/", views.plan_step_create, name="plan-step-create"),
    path("plan-steps/<int:pk>/edit/", views.plan_step_update, name="plan-step-update"),
    path("plan-steps/<int:pk>/done/", views.plan_step_done, name="plan-step-done"),
    path("<int:pk>/revisions/new/", views.TargetRevisionProposeView.as_view(), name="target-revision-create"),
    path("revisions/", views.TargetRevisionListView.as_view(), name="target-revision-list"),
    path("revisions/<int:pk>/approve/", views.target_revision_approve, name="target-revision-approve"),
    path("revisions/<int:pk>/reject/", views.target_revision_reject, name="target-revision-reject"),
    path("departments/", views.department_overview, name="objective-departments"),
    path("departments/<int:pk>/", views.department_objectives, name="department-objectives"),
    path("people/me/", views.my_objectives, name="my-objectives"),
    path("people/<int:pk>/", views.person_objectives, name="person-objectives"),
]
