"""URLs of the clause catalogue: the catalogue, each requirement item's page, tagging and untagging."""

from django.urls import path

from evidence.views import clauses as views

urlpatterns = [
    path("clauses/", views.ClauseListView.as_view(), name="clause-list"),
    # Requirement ids contain dots ("5.2.1.a"), never slashes.
    path("clauses/<str:pk>/", views.ClauseDetailView.as_view(), name="clause-detail"),
    path("clauses/<str:pk>/records/", views.RecordSearchView.as_view(), name="clause-record-search"),
    path("clauses/<str:pk>/tag/", views.ClauseTagView.as_view(), name="clause-tag"),
    path("evidence-tags/<int:pk>/remove/", views.EvidenceTagRemoveView.as_view(), name="evidence-tag-remove"),
]
