"""Pages of the weekly operation report: the list, one week's report, its PDF (status and download)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from evidence.filters.reports import WeeklyReportFilterSet
from evidence.models import DownloadLog, WeeklyReport
from evidence.selectors import reports as selectors
from evidence.services import documents as document_services
from evidence.tasks.reports import weekly_report_render_pdf_task
from leadership.selectors.people import history_for
from qms import outbox
from qms.views import HtmxFilterListView

VIEW = "evidence.view_weeklyreport"
CHANGE = "evidence.change_weeklyreport"


class WeeklyReportListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = VIEW
    filterset_class = WeeklyReportFilterSet
    template_name = "evidence/reports/list.html"
    partial_template_name = "evidence/reports/partials/_table.html"

    def get_queryset(self):
        return selectors.weekly_report_list()


def _get(request, week: str) -> WeeklyReport:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    try:
        return selectors.weekly_report_get(week)
    except WeeklyReport.DoesNotExist as exc:
        raise Http404(f"No weekly report for {week}.") from exc


@login_required
@require_GET
def weekly_report_detail(request, week: str):
    report = _get(request, week)
    context = {
        "report": report,
        "sections": selectors.weekly_report_sections(report),
        "representatives": (report.data or {}).get("representatives", []),
        "problem_count": selectors.weekly_report_problem_count(report),
        "data": report.data or {},
        "as_of": selectors.weekly_report_as_of(report),
    }
    if request.user.has_perm("evidence.view_historicalweeklyreport"):
        context["history"] = history_for(report)
    return render(request, "evidence/reports/detail.html", context)


@login_required
@require_GET
def weekly_report_pdf_status(request, week: str):
    """The PDF box, polled by htmx until the file is there."""
    return render(request, "evidence/reports/partials/_pdf.html", {"report": _get(request, week)})


@login_required
@require_POST
def weekly_report_render(request, week: str):
    """Ask for the PDF again when none was stored (the renderer failed); it never replaces one."""
    report = _get(request, week)
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied
    if not report.file:
        outbox.enqueue(weekly_report_render_pdf_task, report.pk)
        messages.info(request, "The PDF is being prepared; this page shows it when it is ready.")
    return redirect(report)


@login_required
@require_GET
def weekly_report_download(request, week: str):
    report = _get(request, week)
    if not report.file:
        raise Http404("The PDF of this report is not ready yet.")
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The PDF is missing from storage.") from exc
    file_name = f"weekly-report-{report.week}.pdf"
    document_services.download_log_record(
        request=request, kind=DownloadLog.Kind.DOCUMENT, record=report, file_name=file_name, sha256=report.sha256
    )
    response = FileResponse(handle, as_attachment=True, filename=file_name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
