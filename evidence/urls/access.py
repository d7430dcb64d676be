"""Pages of auditor access."""

from django.urls import path

from evidence.views import access as views

urlpatterns = [
    path("auditors/", views.AuditorAccountListView.as_view(), name="auditor-access-list"),
    path("auditors/grant/", views.AuditorAccessFormView.as_view(), name="auditor-access-create"),
    path("auditors/invite/", views.AuditorInviteView.as_view(), name="auditor-access-invite"),
    path("auditors/<int:pk>/edit/", views.AuditorAccessFormView.as_view(), name="auditor-access-update"),
]
