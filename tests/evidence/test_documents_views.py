"""Asking for a record's PDF, following it, downloading it: permissions both ways, the log, freshness, integrity."""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import DownloadLog, IssuedDocument, RecordPdf
from evidence.services import attachment_add
from evidence.services import documents as services
from leadership.models.policy import PolicyVersion
from leadership.services import policy as policy_services
from reviews.models.meetings import AgendaItem
from tests.evidence.factories_documents import ready_review, signed_meeting
from tests.leadership.factories import DepartmentFactory
from tests.leadership.factories_policy import published_version
from tests.reviews.factories_minutes import held_meeting

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# Who sees meetings (everyone with a role) and management reviews (not employees).
MEETING_READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"]
REVIEW_READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]
POLICY_READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]


def url(name: str, kind: str, record) -> str:
    return reverse(f"evidence:document-{name}", args=[kind, record.pk])


@pytest.fixture
def meeting(ceo):
    return signed_meeting(ceo)


@pytest.fixture
def ready(meeting, ceo, django_capture_on_commit_callbacks):
    """The meeting's PDF, rendered."""
    with django_capture_on_commit_callbacks(execute=True):
        services.record_pdf_request(actor=ceo, kind="minutes", record=meeting)
    return RecordPdf.objects.get()


# Asking and following -----------------------------------------------------------------------------


def test_the_meeting_page_offers_the_pdf_once_signed(client_as, ceo, qa, meeting):
    """The button posts to the request URL; an unsigned meeting shows none."""
    client = client_as(qa)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert url("request", "minutes", meeting) in page
    unsigned = held_meeting(chair=ceo)
    assert url("request", "minutes", unsigned) not in client.get(unsigned.get_absolute_url()).content.decode()


def test_asking_renders_then_the_status_offers_the_download(client_as, qa, meeting, django_capture_on_commit_callbacks):
    client = client_as(qa)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("request", "minutes", meeting), **HTMX)
    assert response.status_code == 200
    pdf = RecordPdf.objects.get()
    assert pdf.status == RecordPdf.Status.READY
    assert pdf.requested_by == qa
    status = client.get(url("status", "minutes", meeting), **HTMX).content.decode()
    assert url("download", "minutes", meeting) in status
    assert pdf.sha256[:12] in status


def test_a_pdf_being_made_is_polled(client_as, qa, meeting):
    """Without running the task the row stays queued, and the partial polls the status every 2 s."""
    client = client_as(qa)
    response = client.post(url("request", "minutes", meeting), **HTMX)
    body = response.content.decode()
    assert "Preparing the PDF" in body
    assert f'hx-get="{url("status", "minutes", meeting)}"' in body
    assert 'hx-trigger="every 2s"' in body


def test_asking_without_htmx_redirects_to_the_download_when_ready(client_as, qa, meeting, ready):
    response = client_as(qa).post(url("request", "minutes", meeting))
    assert response.status_code == 302
    assert response.url == url("download", "minutes", meeting)


def test_unsigned_minutes_are_refused_with_a_message(client_as, ceo):
    meeting = held_meeting(chair=ceo)
    response = client_as(ceo).post(url("request", "minutes", meeting), **HTMX)
    assert response.status_code == 409
    assert "Only signed minutes" in response.content.decode()


def test_asking_is_post_only(client_as, qa, meeting):
    assert client_as(qa).get(url("request", "minutes", meeting)).status_code == 405


def test_an_unknown_kind_or_record_is_404(client_as, auditor, meeting):
    client = client_as(auditor)
    assert client.get(reverse("evidence:document-download", args=["pack", meeting.pk])).status_code == 404
    assert client.get(reverse("evidence:document-download", args=["minutes", 999999])).status_code == 404
    assert client.post(reverse("evidence:document-request", args=["policy", 1])).status_code == 404


@pytest.mark.parametrize("name", ["request", "status", "download"])
def test_outsider_gets_403_and_anonymous_the_login(client, client_as, outsider, meeting, name):
    method = "post" if name == "request" else "get"
    response = getattr(client, method)(url(name, "minutes", meeting))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert getattr(client_as(outsider), method)(url(name, "minutes", meeting)).status_code == 403


# Downloading ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", MEETING_READERS)
def test_everyone_who_sees_the_meeting_downloads_its_minutes_and_is_logged(request, client_as, meeting, ready, persona):
    user = request.getfixturevalue(persona)
    before = datetime.datetime.now(tz=datetime.UTC)

    response = client_as(user).get(url("download", "minutes", meeting), REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{meeting.reference}-signed-minutes.pdf"'
    assert response["X-Content-SHA256"] == ready.sha256
    assert services.sha256_of(response.content) == ready.sha256
    log = DownloadLog.objects.get()
    assert (log.user, log.kind, log.record, log.sha256) == (user, DownloadLog.Kind.DOCUMENT, meeting, ready.sha256)
    assert log.file_name == f"{meeting.reference}-signed-minutes.pdf"
    assert log.ip_address == "10.1.2.3"
    assert log.downloaded_at >= before
    # Registered once, at rendering, whoever downloads it.
    assert IssuedDocument.objects.filter(sha256=ready.sha256).count() == 1


def test_no_pdf_yet_is_404_and_not_logged(client_as, qa, meeting):
    response = client_as(qa).get(url("download", "minutes", meeting))
    assert response.status_code == 404
    assert "ask for it" in response.content.decode()
    assert not DownloadLog.objects.exists()


def test_an_out_of_date_pdf_is_not_handed_out(client_as, qa, meeting, ready):
    """The record changed after the PDF was made: 409, nothing logged, and the page offers a new PDF."""
    AgendaItem.objects.filter(meeting=meeting).update(minutes="Rewritten")
    client = client_as(qa)
    response = client.get(url("download", "minutes", meeting))
    assert response.status_code == 409
    assert "out of date" in response.content.decode()
    assert not DownloadLog.objects.exists()
    assert "Prepare a new PDF" in client.get(url("status", "minutes", meeting), **HTMX).content.decode()


def test_a_stored_file_that_no_longer_matches_its_hash_is_refused(client_as, qa, meeting, ready):
    """Storage tampering: the bytes on disk differ from the SHA-256 recorded at rendering."""
    path = ready.file.path
    with open(path, "r+b") as handle:
        handle.seek(200)
        byte = handle.read(1)
        handle.seek(200)
        handle.write(bytes([byte[0] ^ 0xFF]))
    response = client_as(qa).get(url("download", "minutes", meeting))
    assert response.status_code == 409
    assert "no longer matches" in response.content.decode()
    assert not DownloadLog.objects.exists()


# Management review reports ------------------------------------------------------------------------


@pytest.fixture
def review(ceo):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield ready_review(ceo)


@pytest.mark.parametrize("persona", REVIEW_READERS)
def test_review_readers_ask_for_and_download_the_report(
    request, client_as, review, persona, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(persona)
    client = client_as(user)
    assert url("request", "review", review) in client.get(review.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("request", "review", review), **HTMX).status_code == 200
    response = client.get(url("download", "review", review))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-management-review-draft.pdf"')
    assert DownloadLog.objects.get().record == review


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_others_may_not_have_the_review_report(request, client_as, review, persona):
    client = client_as(request.getfixturevalue(persona))
    assert client.post(url("request", "review", review), **HTMX).status_code == 403
    assert client.get(url("status", "review", review)).status_code == 403
    assert client.get(url("download", "review", review)).status_code == 403


# The policy's PDF ----------------------------------------------------------------------------------


@pytest.fixture
def policy(ceo, mgmt_rep) -> PolicyVersion:
    version = published_version(author=mgmt_rep, approver=ceo)
    policy_services.policy_version_render_pdf(version_id=version.pk)
    version.refresh_from_db()
    return version


@pytest.mark.parametrize("persona", POLICY_READERS)
def test_the_policy_pdf_is_downloaded_through_evidence_registered_and_logged(request, client_as, policy, persona):
    user = request.getfixturevalue(persona)
    client = client_as(user)

    response = client.get(url("download", "policy", policy))
    assert response.status_code == 200
    assert response["X-Content-SHA256"] == policy.pdf_sha256
    assert response.content == policy.pdf.open("rb").read()
    log = DownloadLog.objects.get()
    assert (log.user, log.kind, log.record, log.sha256) == (user, DownloadLog.Kind.DOCUMENT, policy, policy.pdf_sha256)
    issued = IssuedDocument.objects.get()
    assert (issued.kind, issued.sha256, issued.issued_to) == (IssuedDocument.Kind.POLICY, policy.pdf_sha256, user)

    client.get(url("download", "policy", policy))
    assert DownloadLog.objects.count() == 2
    assert IssuedDocument.objects.count() == 1


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_the_policy_pdf_needs_the_right_to_see_policy_versions(request, client_as, policy, persona):
    assert client_as(request.getfixturevalue(persona)).get(url("download", "policy", policy)).status_code == 403
    assert not DownloadLog.objects.exists()


def test_a_policy_version_without_pdf_is_404(client_as, ceo, mgmt_rep):
    version = published_version(author=mgmt_rep, approver=ceo)
    assert client_as(mgmt_rep).get(url("download", "policy", version)).status_code == 404


def test_a_tampered_policy_file_is_refused(client_as, mgmt_rep, policy):
    policy.pdf.storage.delete(policy.pdf.name)
    policy.pdf.storage.save(policy.pdf.name, ContentFile(b"%PDF-1.7 forged"))
    assert client_as(mgmt_rep).get(url("download", "policy", policy)).status_code == 409
    assert not IssuedDocument.objects.exists()
    assert not DownloadLog.objects.exists()


# Attachments ---------------------------------------------------------------------------------------


def test_attachment_downloads_are_logged(client_as, mgmt_rep, employee):
    attachment = attachment_add(
        actor=mgmt_rep,
        record=DepartmentFactory(),
        uploaded_file=SimpleUploadedFile("Notice board.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    response = client_as(employee).get(reverse("evidence:attachment-download", args=[attachment.pk]))
    assert response.status_code == 200
    log = DownloadLog.objects.get()
    assert (log.user, log.kind, log.record, log.file_name, log.sha256) == (
        employee,
        DownloadLog.Kind.ATTACHMENT,
        attachment,
        "Notice board.pdf",
        attachment.sha256,
    )


def test_a_refused_attachment_download_is_not_logged(client_as, mgmt_rep, outsider):
    attachment = attachment_add(
        actor=mgmt_rep, record=DepartmentFactory(), uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    assert client_as(outsider).get(reverse("evidence:attachment-download", args=[attachment.pk])).status_code == 403
    assert not DownloadLog.objects.exists()
