"""Pages of evidence packs."""

from django.urls import path

from evidence.views import packs as views

urlpatterns = [
    path("packs/", views.EvidencePackListView.as_view(), name="pack-list"),
    path("packs/new/", views.EvidencePackCreateView.as_view(), name="pack-create"),
    path("packs/<int:pk>/", views.EvidencePackDetailView.as_view(), name="pack-detail"),
    path("packs/<int:pk>/progress/", views.EvidencePackProgressView.as_view(), name="pack-progress"),
    path("packs/<int:pk>/download/", views.EvidencePackDownloadView.as_view(), name="pack-download"),
]
