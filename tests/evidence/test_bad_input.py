"""Evidence given bad input: uploads of the wrong type, too large or empty, hostile file names, evidence packs
asked for with impossible periods; and markup in records comes out of a pack's PDF as literal text."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import content_disposition_header

from evidence.models import Attachment, EvidencePack
from evidence.services import documents as document_services
from evidence.services import packs as pack_services
from reviews.models.meetings import Meeting
from reviews.services import minutes as minutes_services
from tests.bad_input import (
    HUGE,
    IMG,
    LAST_DAY,
    NUL,
    PAYLOADS,
    SCRIPT,
    assert_api_refused,
    assert_escaped,
    pdf_text,
    squash,
)
from tests.conftest import PASSWORD
from tests.evidence.test_clauses_factories import catalogue  # noqa: F401
from tests.leadership.factories import DepartmentFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.reviews.factories_minutes import complete, held_meeting

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ELF_BYTES = b"\x7fELF\x02\x01\x01" + b"\x00" * 120
HTML_BYTES = f"<!DOCTYPE html><html><body>{SCRIPT}</body></html>".encode()


@pytest.fixture
def department():
    return DepartmentFactory(name="Production")


def upload(client, record, name: str, content: bytes, **extra):
    data = {
        "content_type_id": ContentType.objects.get_for_model(record).pk,
        "object_id": record.pk,
        "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        "description": "Signed minutes",
        **extra,
    }
    return client.post(reverse("evidence:attachment-upload"), data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("minutes.exe", ELF_BYTES, "Files of type .exe are not accepted", id="wrong-extension"),
        pytest.param("minutes.pdf", ELF_BYTES, "minutes.pdf", id="program-named-pdf"),
        pytest.param("minutes.pdf", HTML_BYTES, "minutes.pdf", id="html-named-pdf"),
        pytest.param("minutes.pdf", b"", "", id="empty"),
        pytest.param("minutes", PDF_BYTES, "without an extension", id="no-extension"),
        pytest.param("...", PDF_BYTES, "", id="no-usable-name"),
        pytest.param(f"{SCRIPT}.html", HTML_BYTES, "not accepted", id="markup-name-and-content"),
    ],
)
def test_a_refused_upload_says_why_and_stores_nothing(client_as, mgmt_rep, department, name, content, message):
    response = upload(client_as(mgmt_rep), department, name, content)

    (shown,) = messages_of(response)
    assert shown.startswith("The file was not attached: ")
    assert message in shown
    assert not Attachment.objects.exists()
    assert SCRIPT not in response.content.decode()


def test_an_oversized_upload_names_the_limit_and_stores_nothing(client_as, mgmt_rep, department, settings):
    settings.CLAUSE5_ATTACHMENT_MAX_BYTES = 1024

    response = upload(client_as(mgmt_rep), department, "scan.pdf", PDF_BYTES + b"0" * 2048)

    (shown,) = messages_of(response)
    assert "The file was not attached" in shown
    assert "scan.pdf" in shown
    assert "largest file accepted is 1.0\xa0KB" in shown
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param({"description": "x" * 301}, "at most 300 characters", id="description-too-long"),
        pytest.param({"description": NUL}, "Null characters", id="description-nul"),
    ],
)
def test_a_bad_description_names_the_problem_and_stores_nothing(client_as, mgmt_rep, department, extra, message):
    response = upload(client_as(mgmt_rep), department, "minutes.pdf", PDF_BYTES, **extra)

    assert message in " ".join(messages_of(response))
    assert not Attachment.objects.exists()


def test_a_forged_record_reference_is_not_found(client_as, mgmt_rep, department):
    client = client_as(mgmt_rep)
    for content_type_id, object_id in [("abc", department.pk), (999999, department.pk), ("", ""), (1, "x\x00")]:
        response = client.post(
            reverse("evidence:attachment-upload"),
            {
                "content_type_id": content_type_id,
                "object_id": object_id,
                "file": SimpleUploadedFile("a.pdf", PDF_BYTES),
            },
        )
        assert response.status_code in (400, 404), (content_type_id, object_id, response.status_code)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(f"{IMG}.pdf", id="markup"),
        pytest.param('report"; filename="evil.exe.pdf', id="header-injection"),
        pytest.param("report\tfinal\x07\x1b[31m.pdf", id="control-characters"),
        pytest.param("..\\..\\etc\\passwd.pdf", id="windows-path"),
        pytest.param("Prüfbericht Überlauf ü.pdf", id="non-ascii"),
        pytest.param("a\u202egnp.pdf", id="right-to-left-override"),
    ],
)
def test_a_hostile_file_name_is_stored_tamed_and_served_with_a_safe_header(client_as, mgmt_rep, employee, name):
    objective = ObjectiveFactory()
    upload(client_as(mgmt_rep), objective, name, PDF_BYTES)

    attachment = Attachment.objects.get()
    stored = attachment.original_name
    assert stored.endswith(".pdf")
    assert not any(ch in stored for ch in "\r\n\t\x00\x07\x1b/\\\u202e")
    response = client_as(employee).get(reverse("evidence:attachment-download", args=[attachment.pk]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header == content_disposition_header(as_attachment=True, filename=stored)
    assert header.count("filename=") + header.count("filename*=") == 1
    # On the record's page the name is text, escaped like anything typed.
    page = client_as(employee).get(objective.get_absolute_url()).content.decode()
    assert escape(stored) in page
    assert "<img src=x" not in page


# Evidence packs -------------------------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


PACK_BAD = [
    pytest.param(
        {"period_start": "2025-06-30", "period_end": "2025-01-01"}, "period_start", "on or before", id="dates-reversed"
    ),
    pytest.param({"period_start": "2025-13-01", "period_end": "2025-06-30"}, "period_start", "date", id="start-text"),
    pytest.param({"period_start": "2025-01-01", "period_end": LAST_DAY}, "period_end", "future", id="end-last-day"),
    pytest.param({"period_start": "0001-01-01", "period_end": "2025-06-30"}, "period_start", "", id="start-year-1"),
    pytest.param({"period_start": "2025-02-30", "period_end": "2025-06-30"}, "period_start", "date", id="impossible"),
]


@pytest.mark.parametrize(("dates", "field", "message"), PACK_BAD)
def test_a_pack_with_a_bad_period_is_refused_on_the_page(client_as, auditor, catalogue, dates, field, message):  # noqa: F811
    response = client_as(auditor).post(reverse("evidence:pack-create"), {"preset": "custom", **dates})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message.lower() in " ".join(msgs).lower() for msgs in errors.values()), dict(errors)
    assert set(errors) & {field, "__all__", "period_start", "period_end"}
    assert not EvidencePack.objects.exists()


@pytest.mark.parametrize(("dates", "field", "message"), PACK_BAD)
def test_a_pack_with_a_bad_period_is_a_400_naming_the_field(api_as, auditor, catalogue, dates, field, message):  # noqa: F811
    response = api_as(auditor).post(reverse("evidence-pack-list"), dates, format="json")

    assert response.status_code == 400
    assert set(response.json()) & {field, "period_start", "period_end", "non_field_errors"}
    assert not EvidencePack.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        pytest.param({"clause_ids": [SCRIPT]}, "clause_ids", id="clause-markup"),
        pytest.param({"clause_ids": ["x" * 10_000]}, "clause_ids", id="clause-huge"),
        pytest.param({"clause_ids": "9.3.1"}, "clause_ids", id="clause-not-a-list"),
        pytest.param({"departments": [999999]}, "departments", id="department-unknown"),
        pytest.param({"departments": ["abc"]}, "departments", id="department-not-an-id"),
    ],
)
def test_a_pack_with_bad_choices_is_a_400_naming_the_field(api_as, auditor, catalogue, extra, field):  # noqa: F811
    body = {"period_start": str(today() - datetime.timedelta(days=90)), "period_end": str(today()), **extra}

    response = api_as(auditor).post(reverse("evidence-pack-list"), body, format="json")

    assert_api_refused(response, field)
    assert not EvidencePack.objects.exists()


def test_a_pack_with_a_forged_clause_on_the_page_names_the_field(client_as, auditor, catalogue):  # noqa: F811
    response = client_as(auditor).post(
        reverse("evidence:pack-create"), {"preset": "last-12-months", "clause_ids": [SCRIPT, HUGE[:500]]}
    )

    assert "clause_ids" in response.context["form"].errors
    assert_escaped(response.content.decode(), SCRIPT)
    assert not EvidencePack.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_records_is_literal_text_in_the_pack(ceo, catalogue, django_capture_on_commit_callbacks, payload):  # noqa: F811
    objective = ObjectiveFactory(title=f"Scrap {payload}", evaluation_method=f"Count {payload}")
    end = today()

    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_services.evidence_pack_request(
            actor=ceo, period_start=end.replace(year=end.year - 1), period_end=end, clause_ids=["6.2.1.a"]
        )

    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.READY, pack.error
    text = squash(pdf_text(pack.file.read()))
    assert squash(objective.title) in text
    assert squash(payload) in text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_signed_minutes_is_literal_text_in_their_pdf(ceo, qa, django_capture_on_commit_callbacks, payload):
    meeting = complete(held_meeting(chair=ceo, items=1, title=f"Quality meeting {payload}"))
    item = meeting.agenda_items.get()
    minutes_services.decision_add(actor=qa, meeting=meeting, text=f"Decided {payload}", agenda_item=item)
    minutes_services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    meeting = Meeting.objects.get(pk=meeting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        document_services.record_pdf_request(actor=ceo, kind="minutes", record=meeting)

    hand_out = document_services.document_hand_out(actor=ceo, kind="minutes", record=meeting)

    text = squash(pdf_text(hand_out.content))
    assert squash(f"Quality meeting {payload}") in text
    assert squash(f"Decided {payload}") in text
    assert hand_out.file_name == f"{meeting.reference}-signed-minutes.pdf"
