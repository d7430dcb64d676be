"""CSV import of measurements: every row or none, problems named by row and column, limits, page and API."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from objectives.models import Measurement
from objectives.services import measurements as services
from tests.objectives.factories_measurements import MeasurementFactory
from tests.objectives.factories_objectives import ObjectiveFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    # Monday 16 March 2026.
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def objectives():
    return {
        "monthly": ObjectiveFactory(reference="OBJ-QA-1"),
        "weekly": ObjectiveFactory(reference="OBJ-QA-2", frequency="weekly"),
    }


def upload(text: str, name: str = "values.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


GOOD = (
    "objective,period,value,comment\n"
    "OBJ-QA-1,2026-01,31.5,\n"
    "obj-qa-1,2026-02-20,29,Supplier audit findings closed late\n"
    "OBJ-QA-2,2026-03-04,22.5,\n"
)


def problems(exc) -> list[str]:
    return exc.value.message_dict["file"]


def test_a_good_file_imports_every_row_with_normalised_periods(qa, objectives, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        result = services.measurement_import(actor=qa, file=upload(GOOD))

    assert result.created == 3
    assert result.message == "Imported 3 values for 2 objectives: OBJ-QA-1, OBJ-QA-2."
    assert sorted(Measurement.objects.values_list("objective__reference", "period_start", "value")) == [
        ("OBJ-QA-1", D(2026, 1, 1), Decimal("31.5")),
        ("OBJ-QA-1", D(2026, 2, 1), Decimal("29")),
        ("OBJ-QA-2", D(2026, 3, 2), Decimal("22.5")),
    ]
    assert all(m.history.get().history_user == qa for m in Measurement.objects.all())
    # One refresh of the cached health per objective.
    assert len(callbacks) == 2


def test_semicolons_and_a_byte_order_mark_are_understood(qa, objectives):
    text = "\ufeffobjective;period;value;comment\nOBJ-QA-1;2026-01;31.5;\n"

    assert services.measurement_import(actor=qa, file=upload(text)).created == 1


def test_one_bad_row_imports_nothing_and_names_every_row_and_column(qa, objectives):
    MeasurementFactory(objective=objectives["monthly"], period_start=D(2025, 12, 1))
    text = (
        "objective,period,value,comment\n"
        "OBJ-QA-1,2026-01,31.5,\n"  # good
        "OBJ-NOPE,2026-01,3,\n"
        "OBJ-QA-1,2026-13,3,\n"
        "OBJ-QA-1,2026-02,,\n"
        "OBJ-QA-1,2025-12,30,\n"
        "OBJ-QA-1,2026-05,30,\n"
        "OBJ-QA-1,2026-01-31,30,\n"
    )

    with pytest.raises(ValidationError) as exc:
        services.measurement_import(actor=qa, file=upload(text))

    assert problems(exc)[0] == "Nothing was imported. Correct these rows and upload the file again."
    found = problems(exc)[1:]
    assert found[0] == "Row 3, objective: OBJ-NOPE is not the reference of an objective"
    assert found[1] == "Row 4, period: 2026-13 is not a date in YYYY-MM-DD or YYYY-MM form"
    assert found[2] == "Row 5, value: is empty; give the measured value"
    assert found[3].startswith("Row 6, period: OBJ-QA-1 already has a value for Dec 2025")
    assert found[4] == "Row 7, period: May 2026 has not begun yet; a value can be entered once it has."
    assert found[5] == "Row 8, period: OBJ-QA-1 Jan 2026 is given twice (also in row 2); keep one."
    assert Measurement.objects.count() == 1


def test_a_draft_objective_is_a_row_error(qa):
    ObjectiveFactory(reference="OBJ-DRAFT", draft=True)

    with pytest.raises(ValidationError) as exc:
        services.measurement_import(actor=qa, file=upload("objective,period,value,comment\nOBJ-DRAFT,2026-01,1,\n"))

    assert "Row 2, objective: OBJ-DRAFT is draft: only active objectives take measurements" in problems(exc)[1]


def test_a_file_that_is_not_utf8_is_refused_with_advice(qa, objectives):
    text = "objective,period,value,comment\nOBJ-QA-1,2026-01,31.5,Prüfung verspätet\n"

    with pytest.raises(ValidationError) as exc:
        services.measurement_import(actor=qa, file=upload(text, encoding="latin-1"))

    assert "not UTF-8 text" in problems(exc)[0]
    assert "CSV UTF-8" in problems(exc)[0]
    assert not Measurement.objects.exists()


def test_a_spreadsheet_workbook_is_refused(qa):
    workbook = SimpleUploadedFile("values.csv", b"PK\x03\x04rest-of-a-zip", content_type="text/csv")

    with pytest.raises(ValidationError) as exc:
        services.measurement_import(actor=qa, file=workbook)

    assert "spreadsheet workbook" in problems(exc)[0]


def test_a_file_over_the_size_limit_is_refused(qa, objectives, settings):
    settings.CLAUSE5_MEASUREMENT_IMPORT_MAX_BYTES = 100

    with pytest.raises(ValidationError) as exc:
        services.measurement_import(actor=qa, file=upload(GOOD + "OBJ-QA-1,2025-11,31,\n" * 5))

    assert "the limit is 1 kB" in problems(exc)[0]
    assert not Measurement.objects.exists()


def test_a_file_over_the_row_limit_is_refused(qa, objectives, settings):
    settings.CLAUSE5_MEASUREMENT_IMPORT_MAX_ROWS = 2

    with pytest.raises(ValidationError) as exc:
        services.measurement_import(actor=qa, file=upload(GOOD))

    assert problems(exc)[0].startswith("The file has more than 2 rows; the limit is 2 per import.")


def test_missing_or_unknown_columns_are_named(qa):
    with pytest.raises(ValidationError) as exc:
        services.measurement_import(actor=qa, file=upload("objective,month,value\nOBJ-QA-1,2026-01,3\n"))

    assert problems(exc)[:2] == ["Missing columns: period, comment.", "Unknown column: month."]


def test_an_empty_file_and_a_header_alone_are_refused(qa):
    with pytest.raises(ValidationError, match="The file is empty"):
        services.measurement_import(actor=qa, file=upload(""))
    with pytest.raises(ValidationError, match="a header but no rows"):
        services.measurement_import(actor=qa, file=upload("objective,period,value,comment\n"))


def test_an_employee_cannot_import(employee, objectives):
    with pytest.raises(PermissionDenied):
        services.measurement_import(actor=employee, file=upload(GOOD))


# Page ------------------------------------------------------------------------------------------------------------


def test_qa_imports_through_the_page(client_as, qa, objectives):
    response = client_as(qa).post(reverse("objectives:measurement-import"), {"file": upload(GOOD)}, follow=True)

    assert "Imported 3 values for 2 objectives" in response.content.decode()
    assert Measurement.objects.count() == 3


def test_the_page_lists_every_problem_and_saves_nothing(client_as, qa, objectives):
    text = "objective,period,value,comment\nOBJ-QA-1,2026-01,31.5,\nOBJ-QA-1,2026-02,x,\n"

    response = client_as(qa).post(reverse("objectives:measurement-import"), {"file": upload(text)})

    assert response.status_code == 200
    assert "Row 3, value: x is not a number." in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("persona", ["employee", "auditor"])
def test_read_only_roles_cannot_open_the_import_page(request, client_as, persona):
    assert client_as(request.getfixturevalue(persona)).get(reverse("objectives:measurement-import")).status_code == 403


# API -----------------------------------------------------------------------------------------------------------------


def test_the_api_imports_a_multipart_file(api_as, qa, objectives):
    response = api_as(qa).post(reverse("measurement-import"), {"file": upload(GOOD)}, format="multipart")

    assert response.status_code == 201
    assert response.json() == {
        "created": 3,
        "objectives": ["OBJ-QA-1", "OBJ-QA-2"],
        "message": "Imported 3 values for 2 objectives: OBJ-QA-1, OBJ-QA-2.",
    }


def test_the_api_answers_400_with_every_problem(api_as, qa, objectives):
    text = "objective,period,value,comment\nOBJ-QA-1,2026-01,31.5,\nOBJ-QA-1,2026-02,x,\n"

    response = api_as(qa).post(reverse("measurement-import"), {"file": upload(text)}, format="multipart")

    assert response.status_code == 400
    assert response.json()["file"][1] == "Row 3, value: x is not a number."
    assert not Measurement.objects.exists()


def test_the_api_asks_for_the_file(api_as, qa):
    response = api_as(qa).post(reverse("measurement-import"), {}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()


@pytest.mark.parametrize("persona", ["employee", "auditor"])
def test_the_api_refuses_an_import_by_a_read_only_role(request, api_as, persona, objectives):
    response = api_as(request.getfixturevalue(persona)).post(
        reverse("measurement-import"), {"file": upload(GOOD)}, format="multipart"
    )

    assert response.status_code == 403
    assert not Measurement.objects.exists()
