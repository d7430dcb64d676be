"""Pages of the weekly operation report."""

from django.urls import path, register_converter

from evidence.views import reports as views


class IsoWeekConverter:
    regex = r"\d{4}-W\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IsoWeekConverter, "isoweek")

urlpatterns = [
    path("reports/", views.WeeklyReportListView.as_view(), name="weekly-report-list"),
    path("reports/<isoweek:week>/", views.weekly_report_detail, name="weekly-report-detail"),
    path("reports/<isoweek:week>/pdf/", views.weekly_report_download, name="weekly-report-download"),
    path("reports/<isoweek:week>/pdf/status/", views.weekly_report_pdf_status, name="weekly-report-pdf-status"),
    path("reports/<isoweek:week>/pdf/render/", views.weekly_report_render, name="weekly-report-render"),
]
