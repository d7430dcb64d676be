"""Writes of evidence packs: asking for a pack, building it in the background, and giving up on stalled builds.

A pack is asked for by a user with the right role (`evidence_pack_request`), queued, and built
by a Celery task on the "pdf" queue (`evidence_pack_build`): the evidence of the period is
gathered (`evidence.selectors.packs.pack_data`), laid out by WeasyPrint as a PDF/A-3 document
that carries the same data as an attached JSON file, stored with its SHA-256 and registered as
an issued document, so that the verification page can recognise the file later. Each step
moves the pack forward by compare-and-set on its status; a failure leaves the pack failed with
the reason in words and no file behind.
"""

import base64
import datetime
import io
import json
import logging
import os
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from evidence.models import EvidencePack, IssuedDocument
from evidence.models.clauses import Clause
from evidence.selectors.packs import (
    COUNT_LABELS,
    ITEM_EXAMPLES,
    evidence_pack_download_name,
    pack_attachment_data,
    pack_data,
)
from evidence.services.documents import document_issue, sha256_of
from leadership.models import Department
from qms import outbox
from qms.exceptions import ApplicationError
from qms.references import save_with_reference

logger = logging.getLogger(__name__)

Status = EvidencePack.Status

MAX_PERIOD_YEARS = 3
# The build task's limits (seconds). A large organisation's pack takes about a minute on two cores.
BUILD_SOFT_TIME_LIMIT = 300
BUILD_TIME_LIMIT = 360
# A pack building longer than the hard time limit plus this margin was killed with its worker.
STALE_MARGIN = 60
# A queued pack whose build message reached the broker but no worker for this long is given up on.
QUEUED_STALE_SECONDS = BUILD_TIME_LIMIT + 15 * 60
# Suffix of a PDF being written; moved to its final name only once complete.
PARTIAL_SUFFIX = ".partial"
# Packs queued or building at once, over all users (setting CLAUSE5_EVIDENCE_PACK_MAX_QUEUED).
DEFAULT_MAX_QUEUED = 5
PDF_VARIANT = "pdf/a-3b"


def max_queued() -> int:
    return int(getattr(settings, "CLAUSE5_EVIDENCE_PACK_MAX_QUEUED", DEFAULT_MAX_QUEUED))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _clean_request(period_start, period_end, clause_ids, departments) -> tuple[list[str], list[Department]]:
    """The request's items in catalogue order and its departments; ValidationError naming the field otherwise."""
    errors = {}
    today = timezone.localdate()
    if not isinstance(period_start, datetime.date):
        errors["period_start"] = "Give the first day of the period."
    if not isinstance(period_end, datetime.date):
        errors["period_end"] = "Give the last day of the period."
    if not errors:
        if period_end > today:
            errors["period_end"] = f"The period cannot end in the future: the last day may be today ({today:%d %b %Y})."
        elif period_start > period_end:
            errors["period_start"] = "The period must start on or before the day it ends."
        elif period_start <= _years_before(period_end, MAX_PERIOD_YEARS):
            errors["period_start"] = (
                f"A pack covers at most {MAX_PERIOD_YEARS} years: start on or after "
                f"{_years_before(period_end, MAX_PERIOD_YEARS) + datetime.timedelta(days=1):%d %b %Y}, "
                "or ask for several packs."
            )
    wanted = [str(c).strip() for c in clause_ids or () if str(c).strip()]
    ordered = list(Clause.objects.filter(pk__in=wanted).order_by("order").values_list("pk", flat=True))
    unknown = sorted(set(wanted) - set(ordered))
    if unknown:
        errors["clause_ids"] = f"Not requirement items of the catalogue: {', '.join(unknown)}."
    department_ids = []
    for item in departments or ():
        pk = getattr(item, "pk", item)
        try:
            department_ids.append(int(pk))
        except (TypeError, ValueError):
            errors["departments"] = f"{item!r} is not a department id."
    found = list(Department.objects.filter(pk__in=department_ids).order_by("name"))
    missing = sorted(set(department_ids) - {d.pk for d in found})
    if missing and "departments" not in errors:
        errors["departments"] = f"No department with id {', '.join(str(m) for m in missing)}."
    if errors:
        raise ValidationError(errors)
    return ordered, found


@transaction.atomic
def evidence_pack_request(
    *, actor, period_start: datetime.date, period_end: datetime.date, clause_ids=(), departments=()
) -> EvidencePack:
    """Ask for an evidence pack of a period, optionally for some requirement items or departments.

    The pack is queued under the next EP-YYYY-NNN reference and built in the background once the
    request is committed. A user has one pack in the making at a time, and at most
    CLAUSE5_EVIDENCE_PACK_MAX_QUEUED packs are in the making overall.
    """
    from evidence.tasks.packs import evidence_pack_build_task

    items, chosen = _clean_request(period_start, period_end, clause_ids, departments)
    # Requests of one user are serialised on their account row, so two clicks make one pack.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    evidence_pack_fail_stale()
    in_making = EvidencePack.objects.filter(status__in=[Status.QUEUED, Status.BUILDING])
    own = in_making.filter(requested_by=actor).first()
    if own is not None:
        raise ApplicationError(
            f"Your pack {own.reference} is still being built. Wait until it is ready (or has failed) "
            "before asking for another.",
            extra={"pack": own.pk},
        )
    if in_making.count() >= max_queued():
        raise ApplicationError(
            f"{max_queued()} packs are being built already, the most Clause5 builds at once. "
            "Ask again in a few minutes."
        )
    pack = EvidencePack(
        requested_by=actor, period_start=period_start, period_end=period_end, clause_ids=items, status=Status.QUEUED
    )
    save_with_reference(pack, actor, "EP")
    if chosen:
        pack.departments.set(chosen)
    outbox.enqueue(evidence_pack_build_task, pack.pk)
    return pack


def _progress(pack_id: int, percent: int, note: str) -> None:
    """Move the progress bar of a pack being built (no history entry: it is not a change of the record)."""
    EvidencePack.objects.filter(pk=pack_id, status=Status.BUILDING).update(
        progress=percent, progress_note=note[:200], updated_at=timezone.now()
    )


def _claim(pack_id: int) -> EvidencePack | None:
    """Queued -> building, once: a retried or duplicated task finds the pack claimed and does nothing."""
    with transaction.atomic():
        pack = EvidencePack.objects.select_for_update().filter(pk=pack_id, status=Status.QUEUED).first()
        if pack is None:
            return None
        pack.status = Status.BUILDING
        pack.started_at = timezone.now()
        pack.progress = 5
        pack.progress_note = "Gathering the evidence of the period."
        pack.save(update_fields=["status", "started_at", "progress", "progress_note", "updated_at"])
    return pack


def _error_in_words(exc: BaseException) -> str:
    from qms.pdf import FetchRefused

    if isinstance(exc, SoftTimeLimitExceeded):
        return (
            f"Building took longer than the {BUILD_SOFT_TIME_LIMIT} seconds allowed and was stopped. "
            "Ask for a shorter period, or for fewer requirement items or departments."
        )
    if isinstance(exc, FetchRefused):
        return f"A page of the pack asked for a file Clause5 may not load: {exc}"
    if isinstance(exc, OSError):
        return f"The PDF could not be stored ({exc.strerror or exc}). Ask again; if it fails again, tell IT."
    return f"Building the pack failed: {exc.__class__.__name__}: {exc}. Ask again; if it fails again, tell IT."


def _fail(pack_id: int, message: str) -> bool:
    with transaction.atomic():
        pack = (
            EvidencePack.objects.select_for_update()
            .filter(pk=pack_id, status__in=[Status.QUEUED, Status.BUILDING])
            .first()
        )
        if pack is None:
            return False
        pack.status = Status.FAILED
        pack.error = message
        pack.progress_note = "Failed."
        pack.finished_at = timezone.now()
        pack.save(update_fields=["status", "error", "progress_note", "finished_at", "updated_at"])
    return True


def verify_url() -> str:
    """The verification page's address, as printed on the pack's last page."""
    try:
        path = reverse("evidence:verify")
    except NoReverseMatch:
        # The verification page is routed by the documents area; until it is, name its planned address.
        path = "/evidence/verify/"
    return f"{settings.BASE_URL}{path}"


PACK_TEMPLATE = "pdf/packs/pack.html"


def pack_attachment_bytes(data: dict) -> bytes:
    """The JSON attached to the pack's PDF: the data as the pages show it (UTF-8)."""
    return json.dumps(pack_attachment_data(data), ensure_ascii=False, indent=1).encode("utf-8")


def pack_context(pack: EvidencePack, data: dict) -> dict:
    """The template context of the pack's pages."""
    counts = data["counts"]
    return {
        "pack": pack,
        "data": data,
        # Each chart is the objectives app's SVG, embedded in the page as an image: WeasyPrint then
        # draws it without laying out its hundreds of elements as boxes (a large pack needs half the memory).
        "charts": {ref: base64.b64encode(svg.encode("utf-8")).decode("ascii") for ref, svg in data["charts"].items()},
        "count_rows": [(key, label, counts.get(key, 0)) for key, label in COUNT_LABELS.items()],
        "examples": ITEM_EXAMPLES,
        "verify_url": verify_url(),
    }


def pack_html(pack: EvidencePack, data: dict) -> str:
    """The HTML that render_pack lays out (for benchmarks: the same string render_pdf renders)."""
    from django.template.loader import render_to_string

    return render_to_string(
        PACK_TEMPLATE, {"organisation_name": settings.ORGANISATION_NAME, **pack_context(pack, data)}
    )


def render_pack(pack: EvidencePack, data: dict) -> tuple[bytes, int]:
    """The pack's PDF/A-3 bytes, with the data attached as JSON, and its number of pages."""
    # Imported here: WeasyPrint is heavy, and only the "pdf" worker renders.
    from weasyprint import Attachment

    from qms.pdf import render_pdf

    attachment = Attachment(
        file_obj=io.BytesIO(pack_attachment_bytes(data)),
        name=f"{pack.reference}.json",
        description=f"The data of evidence pack {pack.reference}, as the pages show it (JSON, UTF-8).",
        relationship="Data",
    )
    pages: list[int] = []
    content = render_pdf(
        PACK_TEMPLATE,
        pack_context(pack, data),
        pdf_variant=PDF_VARIANT,
        attachments=[attachment],
        page_count=pages,
    )
    return content, pages[0]


def evidence_pack_build(*, pack_id: int) -> bool:
    """Build a queued pack: gather, lay out, store, register. Returns whether this call built it.

    Never leaves a half-built pack: on any error the stored file (if any) is removed and the pack
    is marked failed with the reason in words.
    """
    pack = _claim(pack_id)
    if pack is None:
        return False
    stored_name = ""
    storage = EvidencePack._meta.get_field("file").storage
    try:
        pack = EvidencePack.objects.select_related("requested_by").get(pk=pack_id)
        departments = list(pack.departments.order_by("name"))
        requested_by = pack.requested_by.get_full_name() or pack.requested_by.get_username()
        data = pack_data(
            period_start=pack.period_start,
            period_end=pack.period_end,
            clause_ids=pack.clause_ids,
            departments=departments,
            reference=pack.reference,
            generated_by=requested_by,
            generated_at=pack.started_at,
        )
        _progress(
            pack_id,
            40,
            f"Laying out the pages ({data['counts']['signed_meetings']} meetings, "
            f"{data['counts']['objectives']} objectives).",
        )
        content, page_count = render_pack(pack, data)
        _progress(pack_id, 90, f"Storing the file ({page_count} pages).")
        digest = sha256_of(content)
        stored_name = _store_complete(storage, _pack_file_name(pack), content)
        with transaction.atomic():
            locked = EvidencePack.objects.select_for_update().filter(pk=pack_id, status=Status.BUILDING).first()
            if locked is None:
                # Given up on meanwhile (stalled): the file is not this pack's any more.
                storage.delete(stored_name)
                return False
            locked.status = Status.READY
            locked.file = stored_name
            locked.size = len(content)
            locked.sha256 = digest
            locked.page_count = page_count
            locked.progress = 100
            locked.progress_note = "Ready."
            locked.finished_at = timezone.now()
            locked.error = ""
            locked.save()
            document_issue(
                kind=IssuedDocument.Kind.PACK,
                record=locked,
                content=content,
                title=f"Evidence pack {pack.reference}, {pack.period_start:%d %b %Y} to {pack.period_end:%d %b %Y}",
                issued_to=pack.requested_by,
            )
        return True
    # Any failure must end as a failed pack with its reason, whatever raised it.
    except Exception as exc:
        logger.exception("Evidence pack %s failed", pack_id)
        if stored_name:
            try:
                storage.delete(stored_name)
            except OSError:
                logger.exception("Could not remove the partial file %s", stored_name)
        _fail(pack_id, _error_in_words(exc))
        return False


def _pack_file_name(pack: EvidencePack) -> str:
    """Where a pack's PDF is stored (the reference makes it unique)."""
    year = timezone.localdate(pack.started_at or pack.created_at).year
    return f"packs/{year}/{evidence_pack_download_name(pack)}"


def _store_complete(storage, name: str, content: bytes) -> str:
    """Store `content` so that its final name never holds part of it; the name stored under.

    On the local file system the bytes go to `<name>.partial`, are flushed to disk, and the file
    is then renamed into place (atomic on one file system): a worker killed while writing leaves
    only the `.partial` file, which nothing serves and `evidence_pack_fail_stale` removes. Other
    storages (object stores) write a file in one request and get Django's plain save.
    """
    try:
        final_name = storage.get_available_name(name)
        final_path = Path(storage.path(final_name))
    except NotImplementedError:
        return storage.save(name, ContentFile(content))
    final_path.parent.mkdir(parents=True, exist_ok=True)
    partial = final_path.with_name(final_path.name + PARTIAL_SUFFIX)
    with open(partial, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, final_path)
    return final_name


def _remove_leftovers(storage, pack: EvidencePack) -> None:
    """Remove what a killed build may have left: its partial file, or a complete file never registered."""
    name = _pack_file_name(pack)
    try:
        path = Path(storage.path(name))
    except NotImplementedError:
        return
    for leftover in (path.with_name(path.name + PARTIAL_SUFFIX), path):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            logger.exception("Could not remove %s, left by the stopped build of %s", leftover, pack.reference)


def evidence_pack_fail_stale(*, now: datetime.datetime | None = None) -> int:
    """Mark failed the packs whose builder stopped without a word (killed worker, lost message).

    A pack building since longer than the task's hard time limit (plus a margin) cannot finish
    any more: the worker kills a task at that limit, so its builder is gone. Whatever file it
    was writing is removed. A queued pack is given up on after QUEUED_STALE_SECONDS, unless its
    build message is still waiting in the outbox for the broker to return: then it will be built.
    Returns how many were marked; their users may ask again at once.
    """
    now = now or timezone.now()
    building_cutoff = now - datetime.timedelta(seconds=BUILD_TIME_LIMIT + STALE_MARGIN)
    queued_cutoff = now - datetime.timedelta(seconds=QUEUED_STALE_SECONDS)
    stale = list(
        EvidencePack.objects.filter(
            models.Q(status=Status.BUILDING, started_at__lt=building_cutoff)
            | models.Q(status=Status.BUILDING, started_at__isnull=True, updated_at__lt=building_cutoff)
            | models.Q(status=Status.QUEUED, updated_at__lt=queued_cutoff)
        )
    )
    if any(pack.status == Status.QUEUED for pack in stale):
        from evidence.tasks.packs import evidence_pack_build_task

        waiting = {args[0] for args in outbox.unsent_args(evidence_pack_build_task.name) if args}
        stale = [pack for pack in stale if not (pack.status == Status.QUEUED and pack.pk in waiting)]
    storage = EvidencePack._meta.get_field("file").storage
    count = 0
    for pack in stale:
        failed = _fail(
            pack.pk,
            "The pack was not finished: the builder stopped without finishing (for example the worker was "
            "restarted or ran out of memory). Ask for the pack again.",
        )
        if failed and pack.status == Status.BUILDING:
            _remove_leftovers(storage, pack)
        count += failed
    return count
