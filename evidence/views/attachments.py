"""Pages for audit evidence: uploading an attachment and downloading one through a permission check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from evidence.forms.attachments import AttachmentForm
from evidence.models import DownloadLog
from evidence.models.attachments import Attachment
from evidence.selectors import attachments as selectors
from evidence.services import attachments as services
from evidence.services.documents import download_log_record


def _record_from_post(request):
    try:
        content_type = ContentType.objects.get_for_id(int(request.POST.get("content_type_id", "")))
        return content_type.get_object_for_this_type(pk=request.POST.get("object_id", ""))
    except (ValueError, TypeError, ObjectDoesNotExist, ValidationError) as exc:
        raise Http404("No such record.") from exc


def _back(request, record):
    """The `next` field when it is a path on this site, else the record's page."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=request.is_secure())
    ):
        return redirect(target)
    if hasattr(record, "get_absolute_url"):
        return redirect(record.get_absolute_url())
    return redirect("home")


@login_required
@require_POST
def attachment_upload(request):
    record = _record_from_post(request)
    if not services.attachment_can_add(user=request.user, record=record):
        raise PermissionDenied(f"You may not attach files to this {record._meta.verbose_name}.")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"The file was not attached: {error}")
        return _back(request, record)
    try:
        attachment = services.attachment_add(
            actor=request.user,
            record=record,
            uploaded_file=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, f"The file was not attached: {error}")
    else:
        messages.success(request, f"{attachment.original_name} attached.")
    return _back(request, record)


@login_required
@require_GET
def attachment_download(request, pk: int):
    try:
        attachment = selectors.attachment_for_download(pk)
    except Attachment.DoesNotExist as exc:
        raise Http404("No such attachment.") from exc
    model = attachment.content_type.model_class()
    if model is None or not services.attachment_can_view(user=request.user, record_model=model):
        raise PermissionDenied("You may not see this record's attachments.")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    # Every download of evidence is logged: who, which file, when (7.5.3.2).
    download_log_record(
        request=request,
        kind=DownloadLog.Kind.ATTACHMENT,
        record=attachment,
        file_name=attachment.original_name,
        sha256=attachment.sha256,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type_detected,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser ignores the attachment disposition, nothing in the file may run.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
