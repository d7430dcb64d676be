"""Pages of evidence packs: the list, asking for a pack, its page with the progress bar, and the download."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import FormView

from evidence.filters.packs import EvidencePackFilterSet
from evidence.forms.packs import EvidencePackRequestForm
from evidence.models import DownloadLog, EvidencePack
from evidence.selectors import packs as selectors
from evidence.services import packs as services
from evidence.services.documents import download_log_record
from leadership.selectors.people import history_for
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors
from qms.views import HtmxFilterListView


class EvidencePackListView(PermissionRequiredMixin, HtmxFilterListView):
    """Everyone's packs for those who may download packs, otherwise the user's own."""

    permission_required = "evidence.view_evidencepack"
    filterset_class = EvidencePackFilterSet
    template_name = "evidence/packs/list.html"
    partial_template_name = "evidence/packs/partials/_table.html"

    def get_queryset(self):
        return selectors.evidence_pack_list_for(self.request.user)


class EvidencePackCreateView(PermissionRequiredMixin, FormView):
    permission_required = "evidence.add_evidencepack"
    form_class = EvidencePackRequestForm
    template_name = "evidence/packs/create.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            pack = services.evidence_pack_request(
                actor=self.request.user,
                period_start=data["period_start"],
                period_end=data["period_end"],
                clause_ids=data.get("clause_ids") or [],
                departments=list(data.get("departments") or []),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, f"Pack {pack.reference} is queued; this page shows its progress.")
        return redirect(pack)


def _visible_pack(request, pk) -> EvidencePack:
    return get_object_or_404(selectors.evidence_pack_list_for(request.user), pk=pk)


class EvidencePackDetailView(PermissionRequiredMixin, View):
    permission_required = "evidence.view_evidencepack"

    def get(self, request, pk):
        pack = _visible_pack(request, pk)
        context = {"pack": pack, "departments": list(pack.departments.all())}
        if request.user.has_perm("evidence.view_historicalevidencepack"):
            context["history"] = history_for(pack)
        return render(request, "evidence/packs/detail.html", context)


class EvidencePackProgressView(PermissionRequiredMixin, View):
    """The progress bar (htmx polls it every 2 s while the pack is queued or building), then the download."""

    permission_required = "evidence.view_evidencepack"

    def get(self, request, pk):
        return render(request, "evidence/packs/partials/_progress.html", {"pack": _visible_pack(request, pk)})


class EvidencePackDownloadView(PermissionRequiredMixin, View):
    """The PDF as an attachment named after the pack (EP-2026-004.pdf); every download is logged."""

    permission_required = "evidence.download_evidencepack"

    def get(self, request, pk):
        pack = get_object_or_404(selectors.evidence_pack_list(), pk=pk)
        return pack_file_response(request, pack)


def pack_file_response(request, pack: EvidencePack) -> FileResponse:
    """The stored PDF of a ready pack, logged as downloaded by the signed-in user; 404 otherwise."""
    if pack.status != EvidencePack.Status.READY or not pack.file:
        raise Http404(f"Pack {pack.reference} has no file yet.")
    try:
        handle = pack.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(f"The file of pack {pack.reference} is missing from storage.") from exc
    name = selectors.evidence_pack_download_name(pack)
    download_log_record(request=request, kind=DownloadLog.Kind.PACK, record=pack, file_name=name, sha256=pack.sha256)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
