"""Pages of readiness."""

from django.urls import path

from evidence.views import readiness as views

urlpatterns = [
    path("readiness/", views.ReadinessView.as_view(), name="readiness"),
]
