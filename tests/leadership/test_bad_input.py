"""Leadership records given bad input through the pages, the API and the CSV import: refused by field, nothing
saved, accepted text shown escaped in pages and in the policy's PDF."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leadership.models.customers import Customer, CustomerFeedback
from leadership.models.feedback import EmployeeFeedback
from leadership.models.policy import PolicyVersion
from leadership.models.positions import Position
from leadership.services import policy as policy_services
from tests.bad_input import (
    HUGE,
    LAST_DAY,
    NUL,
    PAYLOADS,
    SCRIPT,
    assert_api_refused,
    assert_escaped,
    assert_form_refused,
    pdf_text,
    squash,
)
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_policy import draft_fields, published_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    # Monday 16 March 2026.
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def department():
    return DepartmentFactory(code="QA", head=PersonFactory())


# Customer feedback -------------------------------------------------------------------------------------------------


def feedback_form(responsible, **overrides) -> dict:
    data = {
        "type": "complaint",
        "customer": "Halden Automotive",
        "channel": "phone",
        "received_date": "2026-03-12",
        "product": "gear shaft",
        "severity": "medium",
        "satisfaction_score": "",
        "description": "Certificate of conformity missing.",
        "department": responsible.pk,
        "owner": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


FEEDBACK_BAD = [
    pytest.param({"description": None}, "description", "required", id="description-missing"),
    pytest.param({"description": NUL}, "description", "null characters", id="description-nul"),
    pytest.param({"customer": HUGE}, "customer", "at most 200 characters", id="customer-huge"),
    pytest.param({"customer": NUL}, "customer", "null characters", id="customer-nul"),
    pytest.param({"product": HUGE}, "product", "at most 200 characters", id="product-huge"),
    pytest.param({"type": "rant"}, "type", "valid choice", id="type-unknown"),
    pytest.param({"channel": SCRIPT}, "channel", "valid choice", id="channel-markup"),
    pytest.param({"received_date": "yesterday"}, "received_date", "date", id="date-text"),
    pytest.param({"received_date": LAST_DAY}, "received_date", "future", id="date-last-day"),
    pytest.param({"received_date": "0001-01-01"}, "received_date", "before 2000", id="date-year-1"),
    pytest.param(
        {"type": "survey-response", "severity": "", "satisfaction_score": "11"},
        "satisfaction_score",
        "10",
        id="score-over",
    ),
    pytest.param(
        {"type": "survey-response", "severity": "", "satisfaction_score": "99999999999999999999999"},
        "satisfaction_score",
        "10",
        id="score-overflow",
    ),
    pytest.param(
        {"type": "survey-response", "severity": "", "satisfaction_score": "eight"},
        "satisfaction_score",
        "number",
        id="score-text",
    ),
    pytest.param({"department": "999999"}, "department", "valid choice", id="department-unknown"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), FEEDBACK_BAD)
def test_the_feedback_form_names_the_bad_field_and_saves_nothing(client_as, qa, department, overrides, field, message):
    response = client_as(qa).post(
        reverse("leadership:customer-feedback-create"), feedback_form(department, **overrides)
    )

    assert_form_refused(response, field, contains=message)
    assert not CustomerFeedback.objects.exists()
    assert not Customer.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), FEEDBACK_BAD)
def test_the_feedback_api_names_the_bad_field_and_saves_nothing(api_as, qa, department, overrides, field, message):
    data = feedback_form(department, **overrides)
    data.pop("owner")
    if data.get("satisfaction_score") == "":
        data.pop("satisfaction_score")

    response = api_as(qa).post(reverse("customer-feedback-list"), data)

    assert_api_refused(response, field)
    assert not CustomerFeedback.objects.exists()
    assert not Customer.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_customer_feedback_is_shown_as_text(client_as, qa, auditor, department, payload):
    data = feedback_form(department, customer=f"Acme {payload}", description=payload, product=payload)

    assert client_as(qa).post(reverse("leadership:customer-feedback-create"), data).status_code == 302

    feedback = CustomerFeedback.objects.get()
    assert feedback.description == payload
    client = client_as(auditor)
    assert_escaped(client.get(feedback.get_absolute_url()).content.decode(), payload)
    assert_escaped(client.get(reverse("leadership:customer-feedback-list")).content.decode(), payload)


IMPORT_HEADER = [
    "type",
    "customer",
    "channel",
    "received_date",
    "product",
    "severity",
    "satisfaction_score",
    "description",
    "department_code",
]
GOOD_ROW = ["complaint", "Aerotec Systems", "email", "2026-03-02", "valve body", "high", "", "Burrs on ports", "QA"]


def csv_bytes(*rows, header=IMPORT_HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def row(**changes) -> list[str]:
    values = dict(zip(IMPORT_HEADER, GOOD_ROW, strict=True))
    values.update(changes)
    return [values[c] for c in IMPORT_HEADER]


def upload(content: bytes, name: str = "feedback.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


FEEDBACK_IMPORT_BAD = [
    pytest.param(b"", "empty", id="empty-file"),
    pytest.param(b"\x00\x00\x00\x00", "binary", id="binary"),
    pytest.param(csv_bytes(row(description="Burrs\x00")), "binary", id="nul-in-a-value"),
    pytest.param("caf\xe9;x\n".encode("latin-1"), "utf-8", id="not-utf8"),
    pytest.param(b"\xd0\xcf\x11\xe0old excel", "workbook", id="xls"),
    pytest.param(csv_bytes(), "no rows", id="header-only"),
    pytest.param(csv_bytes(GOOD_ROW[:3], header=IMPORT_HEADER[:3]), "missing column", id="missing-columns"),
    pytest.param(csv_bytes(GOOD_ROW, row(type="rant")), "row 3, type", id="type-unknown"),
    pytest.param(csv_bytes(GOOD_ROW, row(received_date="03/02/2026")), "row 3, received_date", id="date-format"),
    pytest.param(csv_bytes(GOOD_ROW, row(received_date=LAST_DAY)), "row 3, received_date", id="date-last-day"),
    pytest.param(csv_bytes(GOOD_ROW, row(received_date="0026-03-02")), "before 2000", id="date-year-26"),
    pytest.param(csv_bytes(GOOD_ROW, row(received_date="2026-02-30")), "row 3, received_date", id="date-impossible"),
    pytest.param(csv_bytes(GOOD_ROW, row(customer=HUGE)), "row 3, customer", id="customer-huge"),
    pytest.param(csv_bytes(GOOD_ROW, row(product=HUGE)), "row 3, product", id="product-huge"),
    pytest.param(csv_bytes(GOOD_ROW, row(description="")), "row 3, description", id="description-empty"),
    pytest.param(
        csv_bytes(GOOD_ROW, row(type="survey-response", severity="", satisfaction_score="1e9")),
        "row 3, satisfaction_score",
        id="score-not-whole",
    ),
    pytest.param(
        csv_bytes(GOOD_ROW, row(type="survey-response", severity="", satisfaction_score="-1")),
        "row 3, satisfaction_score",
        id="score-negative",
    ),
    pytest.param(csv_bytes(GOOD_ROW, row(department_code=SCRIPT)), "row 3, department_code", id="department-markup"),
    pytest.param(csv_bytes(GOOD_ROW, [*GOOD_ROW, "extra"]), "row 3", id="too-many-values"),
]


@pytest.mark.parametrize(("content", "message"), FEEDBACK_IMPORT_BAD)
def test_a_bad_feedback_file_is_refused_on_the_file_field_and_saves_nothing(
    client_as, qa, department, content, message
):
    response = client_as(qa).post(reverse("leadership:customer-feedback-import"), {"file": upload(content)})

    assert_form_refused(response, "file", contains=message)
    assert not CustomerFeedback.objects.exists()
    assert not Customer.objects.exists()


@pytest.mark.parametrize(("content", "message"), FEEDBACK_IMPORT_BAD)
def test_the_feedback_import_api_names_the_file_and_saves_nothing(api_as, qa, department, content, message):
    response = api_as(qa).post(reverse("customer-feedback-import"), {"file": upload(content)}, format="multipart")

    assert_api_refused(response, "file", contains=message)
    assert not CustomerFeedback.objects.exists()
    assert not Customer.objects.exists()


def test_a_row_problem_message_quotes_markup_as_text(client_as, qa, department):
    response = client_as(qa).post(
        reverse("leadership:customer-feedback-import"),
        {"file": upload(csv_bytes(row(type=SCRIPT)))},
    )

    message = assert_form_refused(response, "file", contains="row 2, type")
    assert SCRIPT in message
    assert_escaped(response.content.decode(), SCRIPT)


def test_imported_markup_is_shown_as_text(client_as, qa, auditor, department):
    rows = [row(customer=f"Acme {p}", description=p) for p in PAYLOADS]

    response = client_as(qa).post(reverse("leadership:customer-feedback-import"), {"file": upload(csv_bytes(*rows))})

    assert response.status_code == 302
    assert sorted(CustomerFeedback.objects.values_list("description", flat=True)) == sorted(PAYLOADS)
    page = client_as(auditor).get(reverse("leadership:customer-feedback-list")).content.decode()
    for payload in PAYLOADS:
        assert_escaped(page, payload)


# Employee feedback -------------------------------------------------------------------------------------------------


EMPLOYEE_FEEDBACK_BAD = [
    pytest.param({"title": ""}, "title", "required", id="title-empty"),
    pytest.param({"title": HUGE}, "title", "at most 200 characters", id="title-huge"),
    pytest.param({"title": NUL}, "title", "null characters", id="title-nul"),
    pytest.param({"description": NUL}, "description", "null characters", id="description-nul"),
    pytest.param({"description": "   "}, "description", "required", id="description-blank"),
    pytest.param({"kind": "gripe"}, "kind", "valid choice", id="kind-unknown"),
    pytest.param({"department": "abc"}, "department", "valid choice", id="department-not-an-id"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), EMPLOYEE_FEEDBACK_BAD)
def test_the_feedback_box_names_the_bad_field_and_saves_nothing(client_as, employee, overrides, field, message):
    data = {"kind": "problem", "title": "Unclear instruction", "description": "Edge break size?", **overrides}

    response = client_as(employee).post(reverse("leadership:employee-feedback-submit"), data)

    assert_form_refused(response, field, contains=message)
    assert not EmployeeFeedback.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), EMPLOYEE_FEEDBACK_BAD)
def test_the_feedback_box_api_names_the_bad_field_and_saves_nothing(api_as, employee, overrides, field, message):
    data = {"kind": "problem", "title": "Unclear instruction", "description": "Edge break size?", **overrides}

    response = api_as(employee).post(reverse("employeefeedback-list"), data)

    assert_api_refused(response, field)
    assert not EmployeeFeedback.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_employee_feedback_is_shown_as_text(client_as, employee, mgmt_rep, payload):
    data = {"kind": "idea", "title": payload, "description": payload}

    assert client_as(employee).post(reverse("leadership:employee-feedback-submit"), data).status_code == 302

    feedback = EmployeeFeedback.objects.get()
    client = client_as(mgmt_rep)
    assert_escaped(
        client.get(reverse("leadership:employee-feedback-detail", args=[feedback.pk])).content.decode(), payload
    )
    assert_escaped(client.get(reverse("leadership:employee-feedback-list")).content.decode(), payload)


# Quality policy drafts and their PDF -------------------------------------------------------------------------------


def policy_form(**overrides) -> dict:
    data = draft_fields(**overrides)
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


POLICY_BAD = [
    pytest.param({"text": ""}, "text", "required", id="text-empty"),
    pytest.param({"text": NUL}, "text", "null characters", id="text-nul"),
    pytest.param({"title": HUGE}, "title", "at most 200 characters", id="title-huge"),
    pytest.param({"title": NUL}, "title", "null characters", id="title-nul"),
    pytest.param({"strategy_context": NUL}, "strategy_context", "null characters", id="strategy-nul"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), POLICY_BAD)
def test_a_policy_draft_names_the_bad_field_and_saves_nothing(client_as, mgmt_rep, overrides, field, message):
    response = client_as(mgmt_rep).post(reverse("leadership:policy-version-create"), policy_form(**overrides))

    assert_form_refused(response, field, contains=message)
    assert not PolicyVersion.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), POLICY_BAD)
def test_the_policy_api_names_the_bad_field_and_saves_nothing(api_as, mgmt_rep, overrides, field, message):
    response = api_as(mgmt_rep).post(reverse("policyversion-list"), draft_fields(**overrides), format="json")

    assert_api_refused(response, field)
    assert not PolicyVersion.objects.exists()


def test_a_huge_policy_text_is_kept_whole(client_as, mgmt_rep):
    response = client_as(mgmt_rep).post(reverse("leadership:policy-version-create"), policy_form(text=HUGE))

    assert response.status_code == 302
    assert len(PolicyVersion.objects.get().text) == len(HUGE)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_policy_is_literal_text_in_its_page_and_pdf(client_as, ceo, mgmt_rep, employee, payload):
    version = published_version(author=mgmt_rep, approver=ceo, title=f"Policy {payload}", text=f"We {payload} care.")

    assert_escaped(client_as(employee).get(reverse("leadership:policy-current")).content.decode(), payload)
    assert policy_services.policy_version_render_pdf(version_id=version.pk) is True
    version.refresh_from_db()
    text = squash(pdf_text(version.pdf.read()))
    assert squash(f"Policy {payload}") in text
    assert squash(f"We {payload} care.") in text


# Positions ---------------------------------------------------------------------------------------------------------


def position_form(home, **changes) -> dict:
    return {
        "title": "Production Manager",
        "department": home.pk,
        "responsibilities": "Runs the machining cells",
        "authorities": "May stop a machine that drifts out of tolerance",
        "requirement_ids": ["5.3.b"],
        **changes,
    }


POSITION_BAD = [
    pytest.param({"title": ""}, "title", "required", id="title-empty"),
    pytest.param({"title": HUGE}, "title", "at most 120 characters", id="title-huge"),
    pytest.param({"title": NUL}, "title", "null characters", id="title-nul"),
    pytest.param({"responsibilities": NUL}, "responsibilities", "null characters", id="responsibilities-nul"),
    pytest.param({"requirement_ids": ["9.9.z"]}, "requirement_ids", "valid choice", id="requirement-unknown"),
    pytest.param({"department": "x"}, "department", "valid choice", id="department-not-an-id"),
]


@pytest.mark.parametrize(("changes", "field", "message"), POSITION_BAD)
def test_the_position_form_names_the_bad_field_and_saves_nothing(
    client_as, mgmt_rep, department, changes, field, message
):
    response = client_as(mgmt_rep).post(reverse("leadership:position-create"), position_form(department, **changes))

    assert_form_refused(response, field, contains=message)
    assert not Position.objects.exists()


@pytest.mark.parametrize(("changes", "field", "message"), POSITION_BAD)
def test_the_position_api_names_the_bad_field_and_saves_nothing(api_as, mgmt_rep, department, changes, field, message):
    response = api_as(mgmt_rep).post(reverse("position-list"), position_form(department, **changes), format="json")

    assert_api_refused(response, field)
    assert not Position.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_position_is_shown_as_text(client_as, mgmt_rep, employee, department, payload):
    data = position_form(department, title=f"Lead {payload}"[:120], responsibilities=payload)

    assert client_as(mgmt_rep).post(reverse("leadership:position-create"), data).status_code == 302

    position = Position.objects.get()
    client = client_as(mgmt_rep)
    assert_escaped(client.get(position.get_absolute_url()).content.decode(), payload)
    assert_escaped(client.get(reverse("leadership:position-list")).content.decode(), payload)
    assert_escaped(client.get(reverse("leadership:responsibility-matrix")).content.decode(), payload)
