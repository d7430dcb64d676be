"""API routes of the weekly operation reports; `register` adds the viewset to the shared router."""

from evidence.api.views import reports as views

urlpatterns = []


def register(router) -> None:
    router.register("weekly-reports", views.WeeklyReportViewSet, basename="weekly-report")
