from django.urls import path
from rest_framework.routers import DefaultRouter

from leadership.api import (
    urls_commitment,
    urls_customers,
    urls_feedback,
    urls_policy,
    urls_positions,
    urls_resources,
)
from leadership.api.views import people as views

AREAS = (urls_policy, urls_positions, urls_commitment, urls_resources, urls_customers, urls_feedback)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
# No `.json` suffix routes: the custom actions take no `format` argument (`?format=` still works).
router.include_format_suffixes = False
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("people", views.PersonViewSet, basename="person")
for area in AREAS:
    area.register(router)

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    # Non-router views first: a path such as customer-feedback/import/ must not be read as a record id.
    *(pattern for area in AREAS for pattern in area.urlpatterns),
    *router.urls,
]
