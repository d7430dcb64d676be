"""API of measurements and of the objectives' health figures: reads for staff, writes for QA and managers,
400 for bad input naming the field, 409 for a second value or an inactive objective, 403 by role."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from objectives.models import Measurement, Objective
from tests.leadership.factories import DepartmentFactory
from tests.objectives.factories_measurements import MeasurementFactory, measure
from tests.objectives.factories_objectives import ObjectiveFactory

pytestmark = pytest.mark.django_db

D = datetime.date
LIST = "measurement-list"


@pytest.fixture(autouse=True)
def frozen_today():
    # Monday 16 March 2026.
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def objective():
    return ObjectiveFactory(reference="OBJ-QA-1")


def detail(measurement) -> str:
    return reverse("measurement-detail", args=[measurement.pk])


# Reading ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_staff_and_auditors_read_measurements(request, api_as, persona, objective):
    MeasurementFactory(objective=objective, period_start=D(2026, 2, 1), value=Decimal("2.4"))

    response = api_as(request.getfixturevalue(persona)).get(reverse(LIST))

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["objective_reference"] == "OBJ-QA-1"
    assert row["period_start"] == "2026-02-01"
    assert row["period_label"] == "Feb 2026"
    assert row["value"] == "2.4000"
    assert row["requirement_ids"] == ["6.2.1.e", "9.3.2.c.5"]


def test_someone_without_a_role_reads_no_measurement(api_as, outsider):
    assert api_as(outsider).get(reverse(LIST)).status_code == 403


def test_the_list_filters_by_objective_reference_and_period_range(api_as, employee, objective):
    measure(objective, [2.9, 2.8, 2.7, 2.6], first=D(2025, 11, 1))
    measure(ObjectiveFactory(reference="OBJ-B"), [1, 1], first=D(2025, 12, 1))
    client = api_as(employee)

    by_objective = client.get(reverse(LIST), {"objective": objective.pk, "period_after": "2025-12-01"}).json()
    by_reference = client.get(reverse(LIST), {"reference": "obj-b"}).json()
    by_range = client.get(reverse(LIST), {"period_after": "2025-12-01", "period_before": "2025-12-31"}).json()

    assert [r["period_start"] for r in by_objective["results"]] == ["2026-02-01", "2026-01-01", "2025-12-01"]
    assert by_reference["count"] == 2
    assert sorted(r["objective_reference"] for r in by_range["results"]) == ["OBJ-B", "OBJ-QA-1"]


@pytest.mark.parametrize("objectives", [3, 30])
def test_list_query_count_does_not_grow(api_as, auditor, objectives, django_assert_num_queries):
    for index in range(objectives):
        measure(ObjectiveFactory(reference=f"OBJ-{index:03d}"), [2.5, 2.4], first=D(2026, 1, 1))
    client = api_as(auditor)
    # token and user, the user's and the groups' permissions (2), count, the page of values with
    # their objective, department and author.
    with django_assert_num_queries(5):
        assert client.get(reverse(LIST)).status_code == 200


# Entering -------------------------------------------------------------------------------------------------------------


def test_qa_enters_a_value_with_a_month_as_the_period(api_as, qa, objective):
    response = api_as(qa).post(reverse(LIST), {"objective": objective.pk, "period": "2026-02", "value": "2.35"})

    assert response.status_code == 201
    assert response.json()["period_start"] == "2026-02-01"
    assert response.json()["entered_by_name"] == qa.get_full_name()
    assert Measurement.objects.get().value == Decimal("2.35")


def test_a_second_value_for_the_period_is_a_conflict(api_as, qa, objective):
    first = MeasurementFactory(objective=objective, period_start=D(2026, 2, 1))

    response = api_as(qa).post(reverse(LIST), {"objective": objective.pk, "period": "2026-02-17", "value": "2"})

    assert response.status_code == 409
    assert "already has a value for Feb 2026" in response.json()["detail"]
    assert response.json()["measurement"] == first.pk
    assert Measurement.objects.count() == 1


def test_an_inactive_objective_is_a_conflict(api_as, qa):
    draft = ObjectiveFactory(draft=True)

    response = api_as(qa).post(reverse(LIST), {"objective": draft.pk, "period": "2026-02", "value": "2"})

    assert response.status_code == 409
    assert "only active objectives take measurements" in response.json()["detail"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"period": "2026-05", "value": "2"}, "period", "May 2026 has not begun yet"),
        ({"period": "2024-05", "value": "2"}, "period", "is before OBJ-QA-1 started"),
        ({"period": "March", "value": "2"}, "period", "Date has wrong format"),
        ({"period": "2026-02", "value": "-2"}, "value", "cannot be negative"),
        ({"period": "2026-02", "value": "x"}, "value", "A valid number is required"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_as, qa, objective, data, field, message):
    response = api_as(qa).post(reverse(LIST), {"objective": objective.pk, **data})

    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("persona", ["employee", "auditor"])
def test_read_only_roles_cannot_enter_values(request, api_as, persona, objective):
    response = api_as(request.getfixturevalue(persona)).post(
        reverse(LIST), {"objective": objective.pk, "period": "2026-02", "value": "2"}
    )

    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_a_department_manager_enters_values_of_their_department_only(api_as, dept_manager):
    headed = ObjectiveFactory(department=DepartmentFactory(head=dept_manager.person))
    other = ObjectiveFactory()
    client = api_as(dept_manager)

    allowed = client.post(reverse(LIST), {"objective": headed.pk, "period": "2026-02", "value": "2"})
    refused = client.post(reverse(LIST), {"objective": other.pk, "period": "2026-02", "value": "2"})

    assert allowed.status_code == 201
    assert refused.status_code == 403
    assert "objectives you own or of departments you head" in refused.json()["detail"]


# Correcting ------------------------------------------------------------------------------------------------------


def test_a_correction_needs_a_reason(api_as, qa, objective):
    measurement = MeasurementFactory(objective=objective, period_start=D(2026, 2, 1), value=Decimal("2.4"))

    response = api_as(qa).patch(detail(measurement), {"value": "2.1", "correction_reason": ""})

    assert response.status_code == 400
    assert "Say why the value is corrected" in response.json()["correction_reason"][0]
    measurement.refresh_from_db()
    assert measurement.value == Decimal("2.4")


def test_a_correction_without_the_reason_field_is_a_400(api_as, qa, objective):
    measurement = MeasurementFactory(objective=objective, period_start=D(2026, 2, 1))

    response = api_as(qa).put(detail(measurement), {"value": "2.1"})

    assert response.status_code == 400
    assert "correction_reason" in response.json()


def test_a_correction_keeps_the_old_value_in_the_history(api_as, qa, objective):
    measurement = MeasurementFactory(objective=objective, period_start=D(2026, 2, 1), value=Decimal("2.4"))

    response = api_as(qa).patch(detail(measurement), {"value": "2.1", "correction_reason": "transcription error"})

    assert response.status_code == 200
    assert response.json()["value"] == "2.1000"
    assert response.json()["correction_reason"] == "transcription error"
    assert [h.value for h in measurement.history.order_by("history_date")] == [Decimal("2.4"), Decimal("2.1")]


def test_values_of_a_closed_objective_cannot_be_corrected(api_as, qa, objective):
    measurement = MeasurementFactory(objective=objective, period_start=D(2026, 2, 1))
    Objective.objects.filter(pk=objective.pk).update(status=Objective.Status.MISSED)

    response = api_as(qa).patch(detail(measurement), {"value": "2.1", "correction_reason": "typo"})

    assert response.status_code == 409


@pytest.mark.parametrize("persona", ["employee", "auditor"])
def test_read_only_roles_cannot_correct(request, api_as, persona, objective):
    measurement = MeasurementFactory(objective=objective, period_start=D(2026, 2, 1))

    response = api_as(request.getfixturevalue(persona)).patch(
        detail(measurement), {"value": "2.1", "correction_reason": "typo"}
    )

    assert response.status_code == 403


def test_values_are_never_deleted(api_as, mgmt_rep, objective):
    measurement = MeasurementFactory(objective=objective, period_start=D(2026, 2, 1))

    assert api_as(mgmt_rep).delete(detail(measurement)).status_code == 405
    assert Measurement.objects.filter(pk=measurement.pk).exists()


# The objectives' health figures -------------------------------------------------------------------------------------


def test_objective_health_gives_counts_and_rows_like_the_dashboard(api_as, employee):
    quality = DepartmentFactory(name="Quality")
    a = ObjectiveFactory(reference="OBJ-A", department=quality, health="on_track")
    ObjectiveFactory(reference="OBJ-B", department=quality, health="at_risk", projected_to_miss=True)
    ObjectiveFactory(reference="OBJ-C", health="off_track")
    ObjectiveFactory(reference="OBJ-D", health="on_track", draft=True)
    measure(a, [2.5, 2.1, 1.9], first=D(2025, 12, 1))

    body = (
        api_as(employee).get(reverse("api-objective-health"), {"department": quality.pk, "health": "on_track"}).json()
    )

    assert body["counts"] == {
        "total": 2,
        "on_track": 1,
        "at_risk": 1,
        "off_track": 0,
        "no_data": 0,
        "projected_to_miss": 1,
    }
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["reference"] == "OBJ-A"
    assert row["latest_value"] == "1.9000"
    assert row["latest_period"] == "2026-02-01"
    assert row["latest_text"] == "1.9%"
    assert row["target_text"] == "≤ 2%"
    assert [v["value"] for v in row["recent_values"]] == ["2.5000", "2.1000", "1.9000"]
    assert row["department_name"] == "Quality"


def test_objective_health_sorts_and_takes_any_status(api_as, employee):
    ObjectiveFactory(reference="OBJ-A", health="on_track")
    ObjectiveFactory(reference="OBJ-B", health="off_track")
    ObjectiveFactory(reference="OBJ-C", health="at_risk", draft=True)

    body = api_as(employee).get(reverse("api-objective-health"), {"sort": "health", "status": "any"}).json()

    assert [r["reference"] for r in body["results"]] == ["OBJ-B", "OBJ-C", "OBJ-A"]


def test_objective_health_rejects_an_unknown_filter_value(api_as, employee):
    response = api_as(employee).get(reverse("api-objective-health"), {"health": "great"})

    assert response.status_code == 400
    assert "health" in response.json()


def test_objective_health_is_not_for_someone_without_a_role(api_as, outsider):
    assert api_as(outsider).get(reverse("api-objective-health")).status_code == 403


@pytest.mark.parametrize("objectives", [5, 50])
def test_objective_health_query_count_does_not_grow(api_as, employee, objectives, django_assert_num_queries):
    for index in range(objectives):
        measure(ObjectiveFactory(reference=f"OBJ-{index:03d}"), [2.5, 2.4], first=D(2026, 1, 1))
    client = api_as(employee)
    # token and user, permissions (2), count, the page of objectives, their last 12 values (one
    # window query), the counts per health state.
    with django_assert_num_queries(7):
        assert client.get(reverse("api-objective-health")).status_code == 200
