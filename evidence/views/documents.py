"""Pages of issued documents: asking for a record's PDF and downloading it, verification, the download log."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView

from evidence.filters.documents import DownloadLogFilterSet
from evidence.forms.documents import VerifyForm
from evidence.models import DownloadLog, RecordPdf
from evidence.selectors import documents as selectors
from evidence.services import documents as services
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors
from qms.views import HtmxFilterListView

VIEW_LOG = "evidence.view_downloadlog"
# Asked for on a page and rendered in the background: minutes and reviews. The policy's PDF is leadership's.
RENDERED_KINDS = set(RecordPdf.Kind.values)


def _record(request, kind: str, pk: int):
    """The record behind a document URL: 403 before 404, so that no one learns what exists without the right."""
    permission = selectors.VIEW_PERMISSIONS.get(kind)
    if permission is None:
        raise Http404("No such kind of document.")
    if not request.user.has_perm(permission):
        raise PermissionDenied("You may not see this record, so you may not have its PDF.")
    try:
        return selectors.record_for(kind, pk)
    except ObjectDoesNotExist as exc:
        raise Http404("No such record.") from exc


def _status_context(request, kind: str, record, pdf: RecordPdf | None) -> dict:
    stale = False
    if pdf is not None and pdf.status == RecordPdf.Status.READY:
        current = selectors.document_source_hash(kind, selectors.document_context(kind, record))
        stale = current != pdf.source_hash
    return {
        "kind": kind,
        "record": record,
        "pdf": pdf,
        "stale": stale,
        "label": selectors.KIND_LABELS[kind],
        "rendered_when": selectors.format_moment(pdf.rendered_at) if pdf and pdf.rendered_at else "",
    }


def _status(request, kind: str, record, pdf: RecordPdf | None, status: int = 200):
    return render(
        request,
        "evidence/documents/partials/_pdf_status.html",
        _status_context(request, kind, record, pdf),
        status=status,
    )


@login_required
@require_POST
def document_request(request, kind: str, pk: int):
    """Ask for the PDF of a record: reuse the current one or queue a new one; htmx gets the status partial."""
    if kind not in RENDERED_KINDS:
        raise Http404("This document is not made on request.")
    record = _record(request, kind, pk)
    try:
        pdf = services.record_pdf_request(actor=request.user, kind=kind, record=record)
    except ApplicationError as exc:
        if request.htmx:
            return render(
                request,
                "evidence/documents/partials/_pdf_status.html",
                {"kind": kind, "record": record, "error": exc.message, "label": selectors.KIND_LABELS[kind]},
                status=exc.status_code,
            )
        messages.error(request, exc.message)
        return redirect(record.get_absolute_url())
    pdf.refresh_from_db()
    if request.htmx:
        return _status(request, kind, record, pdf)
    if pdf.status == RecordPdf.Status.READY:
        return redirect("evidence:document-download", kind=kind, pk=record.pk)
    messages.info(request, "The PDF is being prepared: press PDF again in a moment to download it.")
    return redirect(record.get_absolute_url())


@login_required
@require_GET
def document_status(request, kind: str, pk: int):
    """Where the PDF of a record stands; htmx polls this while it is queued or rendering."""
    if kind not in RENDERED_KINDS:
        raise Http404("This document is not made on request.")
    record = _record(request, kind, pk)
    return _status(request, kind, record, selectors.record_pdf_for(kind, record))


@login_required
@require_GET
def document_download(request, kind: str, pk: int):
    """Hand out a record's PDF after the viewer's permission check; the download is logged, the file registered."""
    record = _record(request, kind, pk)
    try:
        hand_out = services.document_hand_out(actor=request.user, kind=kind, record=record)
    except ApplicationError as exc:
        return render(
            request,
            "evidence/documents/unavailable.html",
            {"message": exc.message, "record": record, "label": selectors.KIND_LABELS[kind]},
            status=exc.status_code,
        )
    services.download_log_record(
        request=request,
        kind=DownloadLog.Kind.DOCUMENT,
        record=record,
        file_name=hand_out.file_name,
        sha256=hand_out.sha256,
    )
    response = HttpResponse(hand_out.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{hand_out.file_name}"'
    response["X-Content-SHA256"] = hand_out.sha256
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Verification ----------------------------------------------------------------------------------------


class VerifyView(PermissionRequiredMixin, FormView):
    """Upload a PDF or paste a SHA-256, and learn whether Clause5 issued it unaltered, what it is and when."""

    form_class = VerifyForm
    template_name = "evidence/documents/verify.html"

    def has_permission(self):
        return selectors.user_has_role(self.request.user)

    def form_valid(self, form):
        try:
            result = services.document_verify(sha256=form.cleaned_data["sha256"], file=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=VerifyForm(), result=result))


# The download log ------------------------------------------------------------------------------------


class DownloadLogListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = VIEW_LOG
    filterset_class = DownloadLogFilterSet
    template_name = "evidence/documents/download_log.html"
    partial_template_name = "evidence/documents/partials/_download_log_table.html"

    def get_queryset(self):
        return selectors.download_log_list()


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def download_log_csv(request):
    """The download log as CSV, with the page's filters (every matching row, no pagination)."""
    if not request.user.has_perm(VIEW_LOG):
        raise PermissionDenied
    filterset = DownloadLogFilterSet(request.GET, queryset=selectors.download_log_list())
    rows = filterset.qs if filterset.is_valid() else DownloadLog.objects.none()
    writer = csv.writer(_Echo())
    header = [
        "Downloaded at",
        "User",
        "Username",
        "Kind",
        "Record type",
        "Record",
        "File",
        "SHA-256",
        "IP address",
    ]

    def lines():
        yield writer.writerow(header)
        for row in rows.iterator(chunk_size=500):
            user = row.user
            yield writer.writerow(
                [
                    _cell(selectors.format_moment(row.downloaded_at)),
                    _cell(user.get_full_name()),
                    _cell(user.get_username()),
                    _cell(row.get_kind_display()),
                    _cell(row.content_type.name),
                    _cell(row.record if row.record is not None else f"#{row.object_id} (no longer exists)"),
                    _cell(row.file_name),
                    _cell(row.sha256),
                    _cell(row.ip_address),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="download-log-{stamp}.csv"'
    return response
