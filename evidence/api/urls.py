from rest_framework.routers import DefaultRouter

from evidence.api import urls_access, urls_clauses, urls_documents, urls_packs, urls_readiness, urls_reports

AREAS = (urls_clauses, urls_readiness, urls_packs, urls_documents, urls_access, urls_reports)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
# Requirement ids contain dots: "clauses/5.2.1.a" must not be read as id "5.2.1" in format "a".
router.include_format_suffixes = False
for area in AREAS:
    area.register(router)

urlpatterns = [
    # Non-router views first, so that their paths are not read as record ids.
    *(pattern for area in AREAS for pattern in area.urlpatterns),
    *router.urls,
]
