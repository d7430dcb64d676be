"""API of the weekly operation reports: list and read (by ISO week), and download the PDF.

Reports are written by the weekly task only; nothing here changes them. Reading needs
`evidence.view_weeklyreport` (top management, the management representative, auditors).
"""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, viewsets
from rest_framework.decorators import action

from evidence.api.serializers.reports import WeeklyReportSerializer
from evidence.filters.reports import WeeklyReportFilterSet
from evidence.models import DownloadLog
from evidence.selectors import reports as selectors
from evidence.services import documents as document_services


class PdfRenderer(renderers.BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; the file itself is streamed, never rendered."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only errors reach here (the PDF is a FileResponse): answer them as JSON bytes.
        return renderers.JSONRenderer().render(data)


WEEK = OpenApiParameter("week", OpenApiTypes.STR, OpenApiParameter.PATH, description="ISO week, e.g. 2026-W48.")


@extend_schema_view(retrieve=extend_schema(parameters=[WEEK]))
class WeeklyReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The management representative's weekly reports to top management (5.3.c), newest first."""

    serializer_class = WeeklyReportSerializer
    filterset_class = WeeklyReportFilterSet
    lookup_field = "week"
    lookup_value_regex = r"\d{4}-W\d{2}"
    ordering_fields = ["period_start"]

    def get_queryset(self):
        return selectors.weekly_report_list()

    @extend_schema(parameters=[WEEK], responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(
        detail=True,
        methods=["get"],
        url_path="pdf",
        url_name="pdf",
        renderer_classes=[renderers.JSONRenderer, PdfRenderer],
    )
    def pdf(self, request, week=None):
        """The report's PDF; 404 while it is being prepared. Every download is logged."""
        report = self.get_object()
        if not report.file:
            raise Http404("The PDF of this report is not ready yet.")
        file_name = f"weekly-report-{report.week}.pdf"
        handle = report.file.open("rb")
        document_services.download_log_record(
            request=request, kind=DownloadLog.Kind.DOCUMENT, record=report, file_name=file_name, sha256=report.sha256
        )
        return FileResponse(handle, as_attachment=True, filename=file_name, content_type="application/pdf")
