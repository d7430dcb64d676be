"""URLs of the leadership commitment log (5.1.1)."""

from django.urls import path

from leadership.views import commitment as views

urlpatterns = [
    path("commitment/", views.CommitmentListView.as_view(), name="commitment-list"),
    path("commitment/new/", views.CommitmentCreateView.as_view(), name="commitment-create"),
    path("commitment/<int:pk>/", views.CommitmentDetailView.as_view(), name="commitment-detail"),
    path("commitment/top-managers/<int:pk>/", views.CommitmentPersonView.as_view(), name="commitment-person"),
]
