"""Single-record PDFs: what minutes and review reports show, rendering once, reuse, re-rendering, registration."""

import datetime
import shutil
import subprocess

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db.models import F

from evidence.models import IssuedDocument, RecordPdf
from evidence.services import documents as services
from qms.exceptions import ApplicationError
from reviews.models.meetings import AgendaItem
from reviews.services import minutes as minutes_services
from tests.conftest import PASSWORD
from tests.evidence.factories_documents import ready_review, signed_meeting, signed_review
from tests.reviews.factories_minutes import held_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _organisation(settings):
    settings.ORGANISATION_NAME = "Northbridge Precision Components Ltd"


@pytest.fixture
def chair(ceo):
    ceo.first_name, ceo.last_name = "Margaret", "Ellison"
    ceo.save()
    return ceo


def pdf_text(content: bytes) -> str:
    """The text of a PDF as poppler's pdftotext extracts it, whitespace collapsed."""
    executable = shutil.which("pdftotext")
    assert executable, "pdftotext is missing: install the Debian package poppler-utils"
    result = subprocess.run(  # noqa: S603 - fixed executable, PDF on standard input
        [executable, "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def render(actor, kind, record, capture) -> RecordPdf:
    """Ask for the PDF and run the queued task (Celery is eager in tests)."""
    with capture(execute=True):
        pdf = services.record_pdf_request(actor=actor, kind=kind, record=record)
    pdf.refresh_from_db()
    return pdf


def test_signed_minutes_pdf_shows_the_record_and_the_signature_block(chair, django_capture_on_commit_callbacks):
    """Header, attendance, decisions, actions with their state; the chair's printed name, time with offset, meaning."""
    meeting = signed_meeting(chair)

    pdf = render(chair, "minutes", meeting, django_capture_on_commit_callbacks)

    assert pdf.status == RecordPdf.Status.READY
    assert pdf.file.name.startswith("documents/")
    content = pdf.file.read()
    assert content.startswith(b"%PDF")
    assert services.sha256_of(content) == pdf.sha256
    assert pdf.size == len(content)
    text = pdf_text(content)
    assert "Northbridge Precision Components Ltd" in text
    assert f"Minutes: {meeting.title}" in text
    assert meeting.reference in text
    assert "Attendance" in text
    assert "Present" in text
    assert "Decision D1" in text
    action = meeting.decisions.get(number=1).actions.first()
    assert action.reference in text
    assert "Open" in text
    # The signature block: meaning, printed name, title, date and time with the UTC offset, statement, hash.
    assert "Approved Margaret Ellison" in text
    assert "Managing Director" in text
    assert "+00:00" in text or "+01:00" in text
    assert "I approve these minutes as a true record" in text
    assert meeting.signature.content_sha256 in text
    assert "The record is exactly what was signed" in text
    assert "Changed after it was signed" not in text


def test_minutes_changed_after_signing_are_flagged_in_the_pdf(chair, django_capture_on_commit_callbacks):
    """A row altered behind the amendment procedure no longer matches the signature: the PDF says so."""
    meeting = signed_meeting(chair)
    AgendaItem.objects.filter(meeting=meeting).update(minutes="Nothing was discussed.")

    text = pdf_text(render(chair, "minutes", meeting, django_capture_on_commit_callbacks).file.read())

    assert "Changed after it was signed" in text
    assert "Nothing was discussed." in text


def test_amendments_are_shown_beside_the_original_and_make_a_new_pdf(chair, django_capture_on_commit_callbacks):
    """An amendment changes what the minutes show: the next request renders again, the old copy stays verifiable."""
    meeting = signed_meeting(chair)
    first = render(chair, "minutes", meeting, django_capture_on_commit_callbacks)
    first_sha, first_name = first.sha256, first.file.name
    item = meeting.agenda_items.order_by("order").first()
    original = item.minutes
    minutes_services.minutes_amend(
        actor=chair,
        meeting=meeting,
        password=PASSWORD,
        reason="The scrap figure was typed wrongly.",
        amended_text="Scrap was 2.1% in October, not 1.2%.",
        agenda_item=item,
    )

    second = render(chair, "minutes", meeting, django_capture_on_commit_callbacks)

    assert second.pk == first.pk
    assert second.sha256 != first_sha
    assert not second.file.storage.exists(first_name)
    text = pdf_text(second.file.read())
    assert "A1" in text
    assert "original (as signed)" in text.lower()
    assert " ".join(original.split()) in text
    assert "Scrap was 2.1% in October, not 1.2%." in text
    assert "The scrap figure was typed wrongly." in text
    assert "Amendment A1 Authored Margaret Ellison" in text
    assert IssuedDocument.objects.filter(sha256=first_sha).exists()
    assert IssuedDocument.objects.filter(sha256=second.sha256).exists()


def test_an_unchanged_record_reuses_its_pdf(chair, qa, django_capture_on_commit_callbacks):
    """Asking again for an unchanged record renders nothing and hands out the same file."""
    meeting = signed_meeting(chair)
    first = render(chair, "minutes", meeting, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.record_pdf_request(actor=qa, kind="minutes", record=meeting)

    assert callbacks == []
    assert (again.pk, again.sha256, again.file.name) == (first.pk, first.sha256, first.file.name)
    assert IssuedDocument.objects.filter(sha256=first.sha256).count() == 1


def test_the_render_task_stores_and_registers_once(chair, django_capture_on_commit_callbacks):
    """A duplicated task renders nothing the second time; the file is registered as issued to whoever asked."""
    meeting = signed_meeting(chair)
    pdf = render(chair, "minutes", meeting, django_capture_on_commit_callbacks)

    assert services.record_pdf_render(pdf_id=pdf.pk) is False

    issued = IssuedDocument.objects.get(sha256=pdf.sha256)
    assert issued.kind == IssuedDocument.Kind.MINUTES
    assert issued.issued_to == chair
    assert issued.record == meeting
    assert issued.title.startswith(f"{meeting.reference} {meeting.title}, signed minutes")


def test_a_render_left_by_a_dead_worker_is_taken_over(chair, django_capture_on_commit_callbacks):
    meeting = signed_meeting(chair)
    pdf = render(chair, "minutes", meeting, django_capture_on_commit_callbacks)
    RecordPdf.objects.filter(pk=pdf.pk).update(
        status=RecordPdf.Status.RENDERING, updated_at=F("updated_at") - datetime.timedelta(minutes=10)
    )

    assert services.record_pdf_render(pdf_id=pdf.pk) is True
    pdf.refresh_from_db()
    assert pdf.status == RecordPdf.Status.READY


def test_a_failed_render_is_shown_and_can_be_asked_again(chair, django_capture_on_commit_callbacks, monkeypatch):
    meeting = signed_meeting(chair)

    def broken(*args, **kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr("qms.pdf.render_pdf", broken)
    pdf = render(chair, "minutes", meeting, django_capture_on_commit_callbacks)
    assert pdf.status == RecordPdf.Status.FAILED
    assert "RuntimeError" in pdf.error
    assert not pdf.file

    monkeypatch.undo()
    assert render(chair, "minutes", meeting, django_capture_on_commit_callbacks).status == RecordPdf.Status.READY


def test_only_signed_minutes_are_issued(chair):
    meeting = held_meeting(chair=chair)
    with pytest.raises(ApplicationError, match="Only signed minutes"):
        services.record_pdf_request(actor=chair, kind="minutes", record=meeting)
    assert not RecordPdf.objects.exists()


def test_asking_needs_the_right_to_see_the_record(chair, outsider):
    meeting = signed_meeting(chair)
    with pytest.raises(PermissionDenied):
        services.record_pdf_request(actor=outsider, kind="minutes", record=meeting)


@pytest.fixture
def _review_day():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.mark.usefixtures("_review_day")
def test_an_unsigned_review_report_is_a_watermarked_draft(chair, django_capture_on_commit_callbacks):
    review = ready_review(chair)

    pdf = render(chair, "review", review, django_capture_on_commit_callbacks)

    text = pdf_text(pdf.file.read())
    assert "Management review report" in text
    assert "DRAFT" in text
    assert "Not signed: this report is a DRAFT." in text
    assert "a) Status of actions from previous management reviews" in text
    assert "f) Opportunities for improvement" in text
    assert "The QMS remains suitable" in text
    assert "Qualify a second heat-treatment supplier" in text
    assert "Margaret Ellison" in text
    issued = IssuedDocument.objects.get(sha256=pdf.sha256)
    assert issued.kind == IssuedDocument.Kind.REVIEW
    assert "DRAFT" in issued.title


@pytest.mark.usefixtures("_review_day")
def test_a_signed_review_report_carries_the_chairs_signature(chair, django_capture_on_commit_callbacks):
    review = signed_review(chair)

    text = pdf_text(render(chair, "review", review, django_capture_on_commit_callbacks).file.read())

    assert "Not signed" not in text
    assert "DRAFT" not in text
    assert "Chair of the review Approved Margaret Ellison" in text
    assert "+00:00" in text
    assert review.signature.statement in text
    assert "The record is exactly what was signed" in text
