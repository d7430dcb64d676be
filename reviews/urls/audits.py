"""Pages of internal audits and the findings register."""

from django.urls import path

from reviews.views import audits as views

urlpatterns = [
    path("audits/", views.InternalAuditListView.as_view(), name="audit-list"),
    path("audits/new/", views.InternalAuditFormView.as_view(), name="audit-create"),
    path("audits/<int:pk>/", views.InternalAuditDetailView.as_view(), name="audit-detail"),
    path("audits/<int:pk>/edit/", views.InternalAuditFormView.as_view(), name="audit-update"),
    path("audits/<int:pk>/complete/", views.InternalAuditCompleteView.as_view(), name="audit-complete"),
    path("audits/<int:pk>/cancel/", views.InternalAuditCancelView.as_view(), name="audit-cancel"),
    path("audits/<int:pk>/findings/new/", views.AuditFindingCreateView.as_view(), name="finding-create"),
    path("findings/", views.AuditFindingListView.as_view(), name="finding-list"),
    path("findings/<int:pk>/edit/", views.AuditFindingUpdateView.as_view(), name="finding-update"),
    path("findings/<int:pk>/close/", views.AuditFindingCloseView.as_view(), name="finding-close"),
    path("findings/<int:pk>/actions/new/", views.AuditFindingAddActionView.as_view(), name="finding-add-action"),
]
