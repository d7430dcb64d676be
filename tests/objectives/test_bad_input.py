"""Objectives given bad input through the pages, the API and the CSV import: refused by field, nothing saved,
accepted text shown escaped."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from objectives.models import Measurement, Objective
from tests.bad_input import (
    HUGE,
    LAST_DAY,
    NUL,
    PAYLOADS,
    assert_api_refused,
    assert_escaped,
    assert_form_refused,
)
from tests.leadership.factories import DepartmentFactory
from tests.objectives.factories_objectives import ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    # Monday 16 March 2026.
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def objective_form(person, department, **overrides) -> dict:
    data = {
        "reference": "",
        "title": "On-time delivery 96% or better",
        "category": "customer",
        "owner": person.pk,
        "department": department.pk,
        "metric_name": "On-time delivery",
        "unit": "%",
        "direction": "higher",
        "baseline": "91",
        "target": "96",
        "tolerance": "2",
        "frequency": "monthly",
        "start_date": "2025-01-01",
        "due_date": "2026-06-30",
        "evaluation_method": "ERP delivery report, monthly.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


OBJECTIVE_BAD = [
    pytest.param({"title": None}, "title", "required", id="title-missing"),
    pytest.param({"title": ""}, "title", "required", id="title-empty"),
    pytest.param({"title": HUGE}, "title", "at most 200 characters", id="title-huge"),
    pytest.param({"title": NUL}, "title", "null characters", id="title-nul"),
    pytest.param({"evaluation_method": NUL}, "evaluation_method", "null characters", id="method-nul"),
    pytest.param({"target": "ninety-six"}, "target", "number", id="target-text"),
    pytest.param({"target": "1e400"}, "target", "digits", id="target-overflow"),
    pytest.param({"target": "NaN"}, "target", "number", id="target-nan"),
    pytest.param({"target": "Infinity"}, "target", "number", id="target-infinity"),
    pytest.param({"tolerance": "-1"}, "tolerance", "", id="tolerance-negative"),
    pytest.param({"category": "<script>"}, "category", "valid choice", id="category-unknown"),
    pytest.param({"owner": "abc"}, "owner", "valid choice", id="owner-not-an-id"),
    pytest.param({"owner": "999999"}, "owner", "valid choice", id="owner-unknown"),
    pytest.param({"start_date": "2025-31-12"}, "start_date", "valid date", id="start-wrong-format"),
    pytest.param({"start_date": "2025-02-30"}, "start_date", "valid date", id="start-impossible"),
    pytest.param({"start_date": "2026-06-30", "due_date": "2025-01-01"}, "due_date", "", id="dates-reversed"),
    pytest.param({"direction": "band", "target_upper": "90"}, "target_upper", "greater", id="band-upside-down"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), OBJECTIVE_BAD)
def test_the_objective_form_names_the_bad_field_and_saves_nothing(client_as, mgmt_rep, overrides, field, message):
    data = objective_form(mgmt_rep.person, DepartmentFactory(), **overrides)

    response = client_as(mgmt_rep).post(reverse("objectives:objective-create"), data)

    assert_form_refused(response, field, contains=message)
    assert not Objective.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), OBJECTIVE_BAD)
def test_the_objective_api_names_the_bad_field_and_saves_nothing(api_as, mgmt_rep, overrides, field, message):
    data = objective_form(mgmt_rep.person, DepartmentFactory(), **overrides)
    data.pop("reference")

    response = api_as(mgmt_rep).post(reverse("objective-list"), data)

    assert_api_refused(response, field)
    assert not Objective.objects.exists()


def test_an_edit_with_a_bad_field_changes_nothing(client_as, mgmt_rep):
    objective = ObjectiveFactory(draft=True, owner=mgmt_rep.person, title="Scrap below 2%")
    data = objective_form(mgmt_rep.person, objective.department, title="Renamed", due_date="2024-01-01")
    data.pop("reference")

    response = client_as(mgmt_rep).post(reverse("objectives:objective-update", args=[objective.pk]), data)

    assert_form_refused(response, "due_date")
    objective.refresh_from_db()
    assert (objective.title, objective.due_date) == ("Scrap below 2%", datetime.date(2026, 6, 30))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_an_objective_is_shown_as_text(client_as, mgmt_rep, employee, payload):
    data = objective_form(mgmt_rep.person, DepartmentFactory(), title=f"Scrap {payload}", description=payload)

    response = client_as(mgmt_rep).post(reverse("objectives:objective-create"), data)

    objective = Objective.objects.get()
    assert response.status_code == 302
    assert objective.title == f"Scrap {payload}"
    for user in (mgmt_rep, employee):
        client = client_as(user)
        assert_escaped(client.get(objective.get_absolute_url()).content.decode(), payload)
    objective.status = Objective.Status.ACTIVE
    objective.save()
    assert_escaped(client_as(employee).get(reverse("objectives:objective-list")).content.decode(), payload)


# Measurements ---------------------------------------------------------------------------------------------------


@pytest.fixture
def objective():
    return ObjectiveFactory(reference="OBJ-QA-1", title="Scrap rate")


MEASUREMENT_BAD = [
    pytest.param({"value": ""}, "value", "required", id="value-missing"),
    pytest.param({"value": "two"}, "value", "number", id="value-text"),
    pytest.param({"value": "1e400"}, "value", "too large", id="value-overflow"),
    pytest.param({"value": "NaN"}, "value", "number", id="value-nan"),
    pytest.param({"value": "-Infinity"}, "value", "number", id="value-infinity"),
    pytest.param({"value": "-3"}, "value", "negative", id="value-negative-percent"),
    pytest.param({"period": "March"}, "period", "date", id="period-text"),
    pytest.param({"period": "2026-13"}, "period", "date", id="period-month-13"),
    pytest.param({"period": "2026-05-01"}, "period", "not begun", id="period-future"),
    pytest.param({"period": LAST_DAY}, "period", "Dec 9999", id="period-last-day"),
    pytest.param({"period": "0001-01-01"}, "period", "before", id="period-year-1"),
    pytest.param({"comment": NUL}, "comment", "null characters", id="comment-nul"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), MEASUREMENT_BAD)
def test_one_value_form_names_the_bad_field_and_saves_nothing(client_as, qa, objective, overrides, field, message):
    data = {"period": "2026-02-14", "value": "2.2", "comment": "", **overrides}

    response = client_as(qa).post(reverse("objectives:measurement-create", args=[objective.pk]), data)

    assert_form_refused(response, field, contains=message)
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), MEASUREMENT_BAD)
def test_the_measurement_api_names_the_bad_field_and_saves_nothing(api_as, qa, objective, overrides, field, message):
    data = {"objective": objective.pk, "period": "2026-02", "value": "2.2", "comment": "", **overrides}

    response = api_as(qa).post(reverse("measurement-list"), data)

    assert_api_refused(response, field)
    assert not Measurement.objects.exists()


def test_the_measurement_api_refuses_a_json_value_of_the_wrong_type(api_as, qa, objective):
    client = api_as(qa)
    url = reverse("measurement-list")

    for body, field in [
        ({"objective": objective.pk, "period": "2026-02", "value": [2]}, "value"),
        ({"objective": objective.pk, "period": "2026-02", "value": {"v": 2}}, "value"),
        ({"objective": objective.pk, "period": 202602, "value": "2"}, "period"),
        ({"objective": "OBJ-QA-1", "period": "2026-02", "value": "2"}, "objective"),
        ({"objective": None, "period": "2026-02", "value": "2"}, "objective"),
    ]:
        assert_api_refused(client.post(url, body, format="json"), field)
    assert client.post(url, "not json at all", content_type="application/json").status_code == 400
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("value", "comment"),
    [
        pytest.param("two", "", id="value-text"),
        pytest.param("1e400", "", id="value-overflow"),
        pytest.param("NaN", "", id="value-nan"),
        pytest.param("2", "x" * 501, id="comment-too-long"),
        pytest.param("2", NUL, id="comment-nul"),
    ],
)
def test_one_bad_row_of_the_entry_page_saves_no_row(client_as, qa, objective, value, comment):
    other = ObjectiveFactory(reference="OBJ-QA-2")
    data = {
        f"o{other.pk}-period": "2026-02-01",
        f"o{other.pk}-value": "2.3",
        f"o{objective.pk}-period": "2026-02-01",
        f"o{objective.pk}-value": value,
        f"o{objective.pk}-comment": comment,
    }

    response = client_as(qa).post(reverse("objectives:measurement-entry") + "?scope=all", data)

    assert response.status_code == 200
    forms = {row.objective.reference: form for row, form in response.context["pairs"]}
    assert forms["OBJ-QA-2"].errors == {}
    assert forms["OBJ-QA-1"].errors
    assert "Nothing was saved" in response.content.decode()
    assert not Measurement.objects.exists()


def test_an_entry_row_with_a_forged_period_saves_nothing(client_as, qa, objective):
    for period in (LAST_DAY, "not-a-date", "2026-02-01\x00"):
        response = client_as(qa).post(
            reverse("objectives:measurement-entry") + "?scope=all",
            {f"o{objective.pk}-period": period, f"o{objective.pk}-value": "2"},
        )
        ((_row, form),) = response.context["pairs"]
        assert "period" in form.errors
    assert not Measurement.objects.exists()


def test_a_comment_with_markup_is_shown_as_text(client_as, qa, employee, objective):
    for payload in PAYLOADS:
        Measurement.objects.all().delete()
        response = client_as(qa).post(
            reverse("objectives:measurement-create", args=[objective.pk]),
            {"period": "2026-02-14", "value": "2.2", "comment": payload},
        )
        assert response.status_code == 302
        assert_escaped(client_as(employee).get(objective.get_absolute_url()).content.decode(), payload)


# The CSV import ----------------------------------------------------------------------------------------------------


def csv_file(content: bytes | str, name: str = "values.csv") -> SimpleUploadedFile:
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


HEADER = "objective,period,value,comment\n"

IMPORT_BAD = [
    pytest.param(b"", "empty", id="empty-file"),
    pytest.param(b"\x00\x01\x02binary", "binary", id="binary"),
    pytest.param("objective,period,value,comment\nOBJ-QA-1,2026-02,2\x00,\n", "binary", id="nul-in-a-value"),
    pytest.param("caf\xe9".encode("latin-1"), "utf-8", id="not-utf8"),
    pytest.param(b"PK\x03\x04workbook", "workbook", id="xlsx"),
    pytest.param(HEADER, "no rows", id="header-only"),
    pytest.param("objective,value\nOBJ-QA-1,2\n", "missing column", id="missing-column"),
    pytest.param(HEADER + "OBJ-QA-1,2026-02,two,\n", "row 2, value", id="value-text"),
    pytest.param(HEADER + "OBJ-QA-1,2026-02,1e400,\n", "row 2, value", id="value-overflow"),
    pytest.param(HEADER + "OBJ-QA-1,2026-02,NaN,\n", "row 2, value", id="value-nan"),
    pytest.param(HEADER + "OBJ-QA-1,2026-02,-5,\n", "row 2, value", id="value-negative"),
    pytest.param(HEADER + "OBJ-QA-1,February,2,\n", "row 2, period", id="period-text"),
    pytest.param(HEADER + f"OBJ-QA-1,{LAST_DAY},2,\n", "row 2, period", id="period-last-day"),
    pytest.param(HEADER + "OBJ-QA-1,0001-01-01,2,\n", "row 2, period", id="period-year-1"),
    pytest.param(HEADER + "<script>alert(1)</script>,2026-02,2,\n", "row 2, objective", id="objective-markup"),
    pytest.param(HEADER + "OBJ-QA-1,2026-02,2,,extra\n", "row 2", id="too-many-values"),
]


@pytest.mark.parametrize(("content", "message"), IMPORT_BAD)
def test_a_bad_measurement_file_is_refused_on_the_file_field_and_saves_nothing(
    client_as, qa, objective, content, message
):
    good_row = "OBJ-QA-1,2026-01,2.5,\n"
    if isinstance(content, str) and content.startswith(HEADER) and content != HEADER:
        # A good row first: the import is all or nothing.
        content = HEADER + good_row + content[len(HEADER) :]
        message = message.replace("row 2", "row 3")

    response = client_as(qa).post(reverse("objectives:measurement-import"), {"file": csv_file(content)})

    assert_form_refused(response, "file", contains=message)
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(("content", "message"), IMPORT_BAD)
def test_the_measurement_import_api_names_the_file_and_saves_nothing(api_as, qa, objective, content, message):
    response = api_as(qa).post(reverse("measurement-import"), {"file": csv_file(content)}, format="multipart")

    assert_api_refused(response, "file")
    assert not Measurement.objects.exists()


def test_an_import_without_a_file_names_the_file_field(client_as, api_as, qa, objective):
    assert_form_refused(client_as(qa).post(reverse("objectives:measurement-import"), {}), "file", contains="required")
    assert_api_refused(api_as(qa).post(reverse("measurement-import"), {}, format="multipart"), "file")
    assert not Measurement.objects.exists()


def test_a_file_named_like_a_script_is_refused_by_name(client_as, qa, objective):
    response = client_as(qa).post(
        reverse("objectives:measurement-import"),
        {"file": csv_file(HEADER + "OBJ-QA-1,2026-02,2,\n", name="<img src=x onerror=alert(1)>.exe")},
    )

    message = assert_form_refused(response, "file", contains="not a .csv file")
    assert "<img src=x" not in response.content.decode()
    assert message
    assert not Measurement.objects.exists()


def test_imported_comments_with_markup_are_shown_as_text(client_as, qa, employee, objective):
    content = HEADER + "".join(
        f'OBJ-QA-1,2026-0{month},2,"{payload.replace(chr(34), chr(34) * 2)}"\n'
        for month, payload in enumerate(PAYLOADS, start=1)
    )

    response = client_as(qa).post(reverse("objectives:measurement-import"), {"file": csv_file(content)})

    assert response.status_code == 302
    assert sorted(Measurement.objects.values_list("comment", flat=True)) == sorted(PAYLOADS)
    page = client_as(employee).get(objective.get_absolute_url()).content.decode()
    for payload in PAYLOADS:
        assert_escaped(page, payload)
