from rest_framework.routers import DefaultRouter

from reviews.api import (
    urls_actions,
    urls_audits,
    urls_calendar,
    urls_management_reviews,
    urls_meetings,
    urls_minutes,
)

AREAS = (urls_meetings, urls_minutes, urls_management_reviews, urls_actions, urls_audits, urls_calendar)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
# No `.json` suffix routes: the custom actions take no `format` argument (`?format=` still works).
router.include_format_suffixes = False
for area in AREAS:
    area.register(router)

urlpatterns = [
    # Non-router views first, so that their paths are not read as record ids.
    *(pattern for area in AREAS for pattern in area.urlpatterns),
    *router.urls,
]
