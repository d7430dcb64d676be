"""CSV import of survey results and complaints: all rows or none, and messages that say where and what."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leadership.models.customers import Customer, CustomerFeedback
from leadership.services import customers as services
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_customers import csv_bytes, urlpatterns_with_customers_api

urlpatterns = urlpatterns_with_customers_api()
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def departments():
    head = PersonFactory()
    return {"SALES": DepartmentFactory(code="SALES", head=head), "QA": DepartmentFactory(code="QA")}


GOOD_ROWS = [
    [
        "complaint",
        "Aerotec Systems",
        "email",
        "2026-03-02",
        "hydraulic valve body",
        "high",
        "",
        "Burrs on ports",
        "QA",
    ],
    ["survey-response", "Halden Automotive", "survey", "2026-03-03", "", "", "8", "Reliable supplier", "sales"],
    ["Survey response", "aerotec systems", "Survey", "2026-03-04", "", "", "10", "Excellent", "SALES"],
    ["compliment", "Meridian Medical Devices", "phone", "2026-02-20", "", "", "", "Great support", "SALES"],
]


def upload(content: bytes, name: str = "feedback.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def problems(exc: pytest.ExceptionInfo) -> list[str]:
    return exc.value.message_dict["file"]


# The service ------------------------------------------------------------------------------------


def test_a_valid_file_imports_every_row(qa, departments):
    result = services.customer_feedback_import(actor=qa, file=upload(csv_bytes(GOOD_ROWS)))

    assert result.created == 4
    assert result.by_type == {"complaint": 1, "survey-response": 2, "compliment": 1}
    assert CustomerFeedback.objects.count() == 4
    assert sorted(result.references) == ["CF-2026-0001", "CF-2026-0002", "CF-2026-0003", "CF-2026-0004"]
    assert sorted(result.new_customers) == ["Aerotec Systems", "Halden Automotive", "Meridian Medical Devices"]
    assert Customer.objects.count() == 3
    assert result.message.startswith("Imported 4 rows (1 complaint, 1 compliment, 2 survey responses)")
    complaint = CustomerFeedback.objects.get(type="complaint")
    assert complaint.response_due_on == datetime.date(2026, 3, 7)
    assert CustomerFeedback.objects.get(satisfaction_score=8).owner == departments["SALES"].head
    # Each imported row has its creation in the history, authored by the importer.
    assert set(CustomerFeedback.history.values_list("history_user", flat=True)) == {qa.pk}
    assert CustomerFeedback.history.count() == 4


def test_a_file_with_one_bad_row_imports_nothing_and_names_row_and_field(qa, departments):
    rows = [*GOOD_ROWS]
    rows[1] = [*rows[1]]
    rows[1][3] = "2026-13-01"

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(csv_bytes(rows)))

    assert "Row 3, received_date: 2026-13-01 is not a date in YYYY-MM-DD form" in problems(exc)
    assert problems(exc)[0].startswith("Nothing was imported")
    assert not CustomerFeedback.objects.exists()
    assert not Customer.objects.exists()


def test_every_problem_is_reported_with_its_row(qa, departments):
    rows = [
        ["complaint", "Aerotec Systems", "email", "2026-03-02", "", "", "", "No severity", "QA"],
        ["survey-response", "Aerotec Systems", "survey", "2026-03-02", "", "", "eleven", "Bad score", "QA"],
        ["survey-response", "Aerotec Systems", "survey", "2026-03-02", "", "", "11", "Out of range", "QA"],
        ["complaint", "", "fax", "02/03/2026", "", "urgent", "", "", "XX"],
    ]

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(csv_bytes(rows)))

    messages = problems(exc)
    assert "Row 2, severity: Give the severity of the complaint." in messages
    assert "Row 3, satisfaction_score: eleven is not a whole number from 0 to 10" in messages
    assert "Row 4, satisfaction_score: 11 is outside the scale of 0 to 10" in messages
    for field in ("customer", "channel", "received_date", "severity", "description", "department_code"):
        assert any(m.startswith(f"Row 5, {field}:") for m in messages), field


def test_a_score_on_a_complaint_is_refused_on_its_row(qa, departments):
    rows = [["complaint", "Aerotec Systems", "email", "2026-03-02", "", "low", "4", "Late", "QA"]]

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(csv_bytes(rows)))

    assert any(m.startswith("Row 2, satisfaction_score:") for m in problems(exc))


def test_a_date_in_the_future_is_refused_on_its_row(qa, departments):
    rows = [["compliment", "Aerotec Systems", "email", "2026-03-17", "", "", "", "Thanks", "QA"]]

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(csv_bytes(rows)))

    assert "Row 2, received_date: 2026-03-17 is in the future" in problems(exc)


def test_a_file_that_is_not_utf8_is_refused_with_a_message(qa, departments):
    content = csv_bytes(
        [["compliment", "Société Générale", "email", "2026-03-02", "", "", "", "Merci", "QA"]], encoding="latin-1"
    )

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(content))

    assert "not UTF-8" in problems(exc)[0]
    assert "CSV UTF-8" in problems(exc)[0]


def test_a_spreadsheet_workbook_is_refused_with_a_message(qa, departments):
    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(b"PK\x03\x04" + b"\x00" * 100, name="feedback.csv"))

    assert "not a CSV file" in problems(exc)[0]


def test_a_file_that_is_not_a_csv_by_name_is_refused(qa, departments):
    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(csv_bytes(GOOD_ROWS), name="feedback.xlsx"))

    assert "not a .csv file" in problems(exc)[0]


def test_a_file_over_the_size_limit_is_refused_with_the_limit(qa, departments, settings):
    settings.CLAUSE5_CUSTOMER_IMPORT_MAX_BYTES = 200

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(csv_bytes(GOOD_ROWS * 3)))

    assert "the limit is 1 kB" in problems(exc)[0]
    assert not CustomerFeedback.objects.exists()


def test_the_default_size_limit_is_2_mb(qa, departments):
    big = csv_bytes(GOOD_ROWS) + b"x" * (2 * 1024 * 1024)

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(big))

    assert "the limit is 2.0 MB" in problems(exc)[0]


def test_a_file_with_too_many_rows_is_refused(qa, departments, settings):
    settings.CLAUSE5_CUSTOMER_IMPORT_MAX_ROWS = 3

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(csv_bytes(GOOD_ROWS)))

    assert "more than 3 rows" in problems(exc)[0]
    assert not CustomerFeedback.objects.exists()


def test_missing_columns_are_named(qa, departments):
    header = ["type", "customer", "received_date", "description"]
    content = csv_bytes([["compliment", "Aerotec Systems", "2026-03-02", "Thanks"]], header=header)

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(content))

    assert problems(exc)[0] == "Missing columns: channel, product, severity, satisfaction_score, department_code."


def test_unknown_columns_are_named(qa, departments):
    header = [*services.IMPORT_COLUMNS, "score"]

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(csv_bytes([[*GOOD_ROWS[0], "9"]], header=header)))

    assert "Unknown column: score." in problems(exc)


def test_a_header_without_rows_is_refused(qa, departments):
    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(csv_bytes([])))

    assert "no rows" in problems(exc)[0]


def test_a_row_with_too_many_values_is_reported(qa, departments):
    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_import(actor=qa, file=upload(csv_bytes([[*GOOD_ROWS[0], "extra"]])))

    assert problems(exc)[1] == "Row 2: has 10 values but the header names 9."


def test_excel_style_files_with_a_byte_order_mark_and_semicolons_are_read(qa, departments):
    text = ";".join(services.IMPORT_COLUMNS) + "\r\n" + ";".join(GOOD_ROWS[0]) + "\r\n\r\n"
    content = "\ufeff".encode() + text.encode()

    result = services.customer_feedback_import(actor=qa, file=upload(content))

    assert result.created == 1


def test_existing_customers_are_reused_whatever_the_case(qa, departments):
    Customer.objects.create(name="Aerotec Systems")

    result = services.customer_feedback_import(actor=qa, file=upload(csv_bytes(GOOD_ROWS)))

    assert sorted(result.new_customers) == ["Halden Automotive", "Meridian Medical Devices"]
    assert Customer.objects.count() == 3


def test_import_needs_the_add_permission(auditor, departments):
    with pytest.raises(Exception, match="permission"):
        services.customer_feedback_import(actor=auditor, file=upload(csv_bytes(GOOD_ROWS)))


def test_references_continue_after_existing_ones(qa, departments):
    services.customer_feedback_import(actor=qa, file=upload(csv_bytes(GOOD_ROWS[:1])))

    result = services.customer_feedback_import(actor=qa, file=upload(csv_bytes(GOOD_ROWS[1:2])))

    assert result.references == ["CF-2026-0002"]


# The page ---------------------------------------------------------------------------------------


def test_import_page_imports_a_valid_file_and_says_how_many(client_as, qa, departments):
    response = client_as(qa).post(
        reverse("leadership:customer-feedback-import"), {"file": upload(csv_bytes(GOOD_ROWS))}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("leadership:customer-feedback-list")
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Imported 4 rows") for m in shown)
    assert CustomerFeedback.objects.count() == 4


def test_import_page_lists_the_problems_and_imports_nothing(client_as, qa, departments):
    rows = [*GOOD_ROWS, ["complaint", "Aerotec Systems", "email", "2026-13-01", "", "high", "", "x", "QA"]]

    response = client_as(qa).post(reverse("leadership:customer-feedback-import"), {"file": upload(csv_bytes(rows))})

    assert response.status_code == 200
    assert "Row 6, received_date: 2026-13-01 is not a date in YYYY-MM-DD form" in response.content.decode()
    assert not CustomerFeedback.objects.exists()


def test_import_page_refuses_wrong_encoding_with_a_message(client_as, qa, departments):
    content = "type;customer\nplainte;Société".encode("cp1252")

    response = client_as(qa).post(reverse("leadership:customer-feedback-import"), {"file": upload(content)})

    assert "not UTF-8" in response.content.decode()


def test_import_page_is_forbidden_to_auditors(client_as, auditor, departments):
    response = client_as(auditor).post(
        reverse("leadership:customer-feedback-import"), {"file": upload(csv_bytes(GOOD_ROWS))}
    )

    assert response.status_code == 403
    assert not CustomerFeedback.objects.exists()


def test_template_csv_has_the_documented_columns_and_nothing_else(client_as, qa, departments):
    response = client_as(qa).get(reverse("leadership:customer-feedback-import-template"))

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="customer-feedback-import-template.csv"' in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").splitlines() == [",".join(services.IMPORT_COLUMNS)]


def test_example_on_the_import_page_imports_as_it_stands(client_as, qa, departments):
    example = client_as(qa).get(reverse("leadership:customer-feedback-import")).context["example"]

    result = services.customer_feedback_import(actor=qa, file=upload(example.encode()))

    assert result.created == 2


# The API ----------------------------------------------------------------------------------------


def test_api_import_creates_every_row_and_reports_counts(api_as, qa, departments):
    response = api_as(qa).post(
        reverse("customer-feedback-import"), {"file": upload(csv_bytes(GOOD_ROWS))}, format="multipart"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["created"] == 4
    assert body["by_type"] == {"complaint": 1, "survey-response": 2, "compliment": 1}


def test_api_import_with_a_bad_row_is_400_listing_row_and_field(api_as, qa, departments):
    rows = [*GOOD_ROWS, ["survey-response", "Aerotec Systems", "survey", "2026-03-02", "", "", "12", "x", "QA"]]

    response = api_as(qa).post(
        reverse("customer-feedback-import"), {"file": upload(csv_bytes(rows))}, format="multipart"
    )

    assert response.status_code == 400
    assert "Row 6, satisfaction_score: 12 is outside the scale of 0 to 10" in response.json()["file"]
    assert not CustomerFeedback.objects.exists()


def test_api_import_without_a_file_is_400_naming_file(api_as, qa):
    response = api_as(qa).post(reverse("customer-feedback-import"), {}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()


@pytest.mark.parametrize("persona", ["auditor", "employee"])
def test_api_import_is_403_without_the_add_permission(request, api_as, persona, departments):
    client = api_as(request.getfixturevalue(persona))

    response = client.post(
        reverse("customer-feedback-import"), {"file": upload(csv_bytes(GOOD_ROWS))}, format="multipart"
    )

    assert response.status_code == 403
    assert not CustomerFeedback.objects.exists()
