"""Measurement services: one value per period, normalised periods, corrections with reasons, who may enter what,
multi-row entry all or nothing, and the objective's health refreshed after every write."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from objectives.models import Measurement, Objective
from objectives.selectors.measurements import corrections_for
from objectives.services import measurements as services
from qms.exceptions import ApplicationError
from tests.leadership.factories import DepartmentFactory
from tests.objectives.factories_measurements import MeasurementFactory, measure
from tests.objectives.factories_objectives import ObjectiveFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    # Monday 16 March 2026.
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def objective():
    """Monthly, lower is better, 3.0 -> 2.0 (tolerance 0.3), from 1 Jan 2025 to 30 Jun 2026."""
    return ObjectiveFactory(reference="OBJ-QA-1")


def record(actor, objective, period, value="2.4", **kwargs):
    return services.measurement_record(actor=actor, objective=objective, period=period, value=value, **kwargs)


# Recording and periods -----------------------------------------------------------------------------------


def test_a_value_is_stored_for_the_period_holding_the_date_with_who_entered_it(qa, objective):
    measurement = record(qa, objective, D(2026, 2, 17), "2.4", comment=" New supplier lot ")

    measurement.refresh_from_db()
    assert measurement.period_start == D(2026, 2, 1)
    assert measurement.value == Decimal("2.4")
    assert measurement.comment == "New supplier lot"
    assert measurement.entered_by == qa
    assert measurement.history.get().history_user == qa


@pytest.mark.parametrize(
    ("frequency", "day", "stored"),
    [
        ("weekly", D(2026, 3, 12), D(2026, 3, 9)),  # Thursday -> Monday
        ("monthly", D(2026, 1, 31), D(2026, 1, 1)),
        ("quarterly", D(2025, 11, 30), D(2025, 10, 1)),
    ],
)
def test_any_day_of_a_period_is_normalised_to_its_first_day(qa, frequency, day, stored):
    objective = ObjectiveFactory(frequency=frequency)

    assert record(qa, objective, day).period_start == stored


def test_the_current_period_may_be_entered_but_not_one_that_has_not_begun(qa, objective):
    assert record(qa, objective, D(2026, 3, 16)).period_start == D(2026, 3, 1)

    with pytest.raises(ValidationError) as exc:
        record(qa, objective, D(2026, 4, 1))

    assert "Apr 2026 has not begun yet" in exc.value.message_dict["period"][0]


def test_a_period_before_the_objective_started_is_refused(qa, objective):
    with pytest.raises(ValidationError) as exc:
        record(qa, objective, D(2024, 12, 31))

    assert exc.value.message_dict["period"] == ["Dec 2024 is before OBJ-QA-1 started on 1 Jan 2025."]
    assert not Measurement.objects.exists()


def test_a_weekly_objective_takes_the_week_holding_its_start_date(qa):
    objective = ObjectiveFactory(frequency="weekly", start_date=D(2025, 1, 1))  # a Wednesday

    assert record(qa, objective, D(2025, 1, 1)).period_start == D(2024, 12, 30)


def test_a_period_after_the_due_date_is_refused(qa):
    objective = ObjectiveFactory(start_date=D(2025, 1, 1), due_date=D(2025, 12, 31))

    with pytest.raises(ValidationError) as exc:
        record(qa, objective, D(2026, 1, 10))

    assert "begins after" in exc.value.message_dict["period"][0]


def test_a_second_value_for_the_same_period_is_refused_and_names_the_first(qa, objective):
    record(qa, objective, D(2026, 2, 3), "2.4")

    with pytest.raises(ApplicationError) as exc:
        record(qa, objective, D(2026, 2, 27), "2.1")

    assert exc.value.message.startswith("OBJ-QA-1 already has a value for Feb 2026 (2.4, entered by")
    assert "Correct that value instead" in exc.value.message
    assert exc.value.extra["field"] == "period"
    assert Measurement.objects.get().value == Decimal("2.4")


def test_the_database_keeps_one_value_per_objective_and_period(objective, qa):
    Measurement.objects.create(objective=objective, period_start=D(2026, 2, 1), value=1, entered_by=qa)

    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(objective=objective, period_start=D(2026, 2, 1), value=2, entered_by=qa)


@pytest.mark.parametrize("status", [Objective.Status.DRAFT, Objective.Status.ACHIEVED, Objective.Status.CANCELLED])
def test_only_active_objectives_take_measurements(qa, status):
    objective = ObjectiveFactory(status=status)

    with pytest.raises(ApplicationError) as exc:
        record(qa, objective, D(2026, 2, 1))

    assert "only active objectives take measurements" in exc.value.message
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Give the measured value."),
        ("abc", "abc is not a number."),
        ("2,4", "2,4 has a comma"),
        ("NaN", "NaN is not a number."),
        ("-1", "A value in % cannot be negative."),
        ("12345678901", "is too large"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(qa, objective, value, message):
    with pytest.raises(ValidationError) as exc:
        record(qa, objective, D(2026, 2, 1), value)

    assert message in exc.value.message_dict["value"][0]
    assert not Measurement.objects.exists()


def test_a_value_is_rounded_to_four_decimal_places(qa, objective):
    assert record(qa, objective, D(2026, 2, 1), "2.123456").value == Decimal("2.1235")


# Who may enter ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employee", "auditor", "outsider"])
def test_roles_without_the_permission_cannot_enter_values(request, objective, persona):
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(persona), objective, D(2026, 2, 1))

    assert not Measurement.objects.exists()


@pytest.mark.parametrize("persona", ["qa", "mgmt_rep", "ceo"])
def test_qa_staff_and_company_wide_roles_enter_values_of_any_objective(request, objective, persona):
    assert record(request.getfixturevalue(persona), objective, D(2026, 2, 1)).pk


def test_a_department_manager_enters_values_only_of_their_departments_and_own_objectives(dept_manager):
    manager = dept_manager.person
    headed = ObjectiveFactory(department=DepartmentFactory(head=manager))
    owned = ObjectiveFactory(owner=manager)
    other = ObjectiveFactory()

    assert record(dept_manager, headed, D(2026, 2, 1)).pk
    assert record(dept_manager, owned, D(2026, 2, 1)).pk
    with pytest.raises(PermissionDenied, match="objectives you own or of departments you head"):
        record(dept_manager, other, D(2026, 2, 1))


# Corrections -------------------------------------------------------------------------------------------------------


def test_a_correction_needs_a_reason(qa, objective):
    measurement = record(qa, objective, D(2026, 2, 1), "2.4")

    with pytest.raises(ValidationError) as exc:
        services.measurement_correct(actor=qa, measurement=measurement, value="2.1", correction_reason="  ")

    assert "Say why the value is corrected" in exc.value.message_dict["correction_reason"][0]
    measurement.refresh_from_db()
    assert measurement.value == Decimal("2.4")


def test_a_correction_keeps_the_old_value_in_the_history_with_who_and_why(qa, mgmt_rep, objective):
    measurement = record(qa, objective, D(2026, 2, 1), "2.4")

    services.measurement_correct(
        actor=mgmt_rep, measurement=measurement, value="2.1", correction_reason="transcription error"
    )

    measurement.refresh_from_db()
    assert measurement.value == Decimal("2.1")
    assert measurement.entered_by == qa
    assert measurement.correction_reason == "transcription error"
    old, new = measurement.history.order_by("history_date")
    assert (old.value, new.value, new.history_user) == (Decimal("2.4"), Decimal("2.1"), mgmt_rep)
    (correction,) = corrections_for([measurement])[measurement.pk]
    assert correction.old_value == Decimal("2.4")
    assert correction.by == mgmt_rep.get_full_name()
    assert correction.reason == "transcription error"


def test_a_correction_that_changes_nothing_is_refused(qa, objective):
    measurement = record(qa, objective, D(2026, 2, 1), "2.4")

    with pytest.raises(ValidationError) as exc:
        services.measurement_correct(actor=qa, measurement=measurement, value="2.4000", correction_reason="check")

    assert "already the recorded value" in exc.value.message_dict["value"][0]


def test_a_comment_alone_may_be_corrected(qa, objective):
    measurement = record(qa, objective, D(2026, 2, 1), "2.4")

    services.measurement_correct(
        actor=qa, measurement=measurement, value="2.4", comment="Line 2 down", correction_reason="comment missing"
    )

    (correction,) = corrections_for([measurement])[measurement.pk]
    assert correction.comment_only


def test_values_of_a_closed_objective_cannot_be_corrected(qa, objective):
    measurement = record(qa, objective, D(2026, 2, 1), "2.4")
    Objective.objects.filter(pk=objective.pk).update(status=Objective.Status.ACHIEVED)

    with pytest.raises(ApplicationError, match="achieved"):
        services.measurement_correct(actor=qa, measurement=measurement, value="2.1", correction_reason="typo")


def test_an_employee_cannot_correct_a_value(qa, employee, objective):
    measurement = record(qa, objective, D(2026, 2, 1), "2.4")

    with pytest.raises(PermissionDenied):
        services.measurement_correct(actor=employee, measurement=measurement, value="2.1", correction_reason="typo")


# The objective's cached figures ---------------------------------------------------------------------------------


def test_every_write_refreshes_the_objective_after_commit(qa, objective, django_capture_on_commit_callbacks):
    with mock.patch("objectives.services.progress.objective_refresh") as refresh:
        with django_capture_on_commit_callbacks() as callbacks:
            measurement = record(qa, objective, D(2026, 2, 1), "2.4")
        assert len(callbacks) == 1
        refresh.assert_not_called()
        callbacks[0]()
        refresh.assert_called_once_with(objective_id=objective.pk)

        with django_capture_on_commit_callbacks(execute=True):
            services.measurement_correct(actor=qa, measurement=measurement, value="2.2", correction_reason="typo")
        assert refresh.call_count == 2


def test_the_latest_value_and_health_update_at_once(qa, objective, django_capture_on_commit_callbacks):
    measure(objective, [2.9, 2.7], first=D(2025, 12, 1))

    with django_capture_on_commit_callbacks(execute=True):
        record(qa, objective, D(2026, 2, 1), "1.9")

    objective.refresh_from_db()
    assert objective.latest_value == Decimal("1.9")
    assert objective.latest_period == D(2026, 2, 1)
    assert objective.health == Objective.Health.ON_TRACK


def test_nothing_is_refreshed_when_the_write_fails(qa, objective, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        record(qa, objective, D(2026, 9, 1))

    assert callbacks == []


# Many values at once -----------------------------------------------------------------------------------------------


def test_many_values_are_saved_together_with_one_refresh_per_objective(qa, django_capture_on_commit_callbacks):
    first, second = ObjectiveFactory(), ObjectiveFactory(frequency="weekly")
    entries = [
        services.Entry(objective=first, period=D(2026, 1, 15), value="2.5"),
        services.Entry(objective=first, period=D(2026, 2, 15), value="2.3", comment="better"),
        services.Entry(objective=second, period=D(2026, 3, 11), value="1.1"),
    ]

    with django_capture_on_commit_callbacks() as callbacks:
        created = services.measurement_record_many(actor=qa, entries=entries)

    assert [(m.objective, m.period_start) for m in created] == [
        (first, D(2026, 1, 1)),
        (first, D(2026, 2, 1)),
        (second, D(2026, 3, 9)),
    ]
    assert len(callbacks) == 2
    assert all(m.history.get().history_user == qa for m in Measurement.objects.all())


def test_one_bad_row_saves_nothing_and_says_which_row_and_field(qa, objective):
    MeasurementFactory(objective=objective, period_start=D(2026, 1, 1), value=Decimal("2.6"))
    entries = [
        services.Entry(objective=objective, period=D(2025, 12, 1), value="2.5"),
        services.Entry(objective=objective, period=D(2026, 2, 1), value="lots"),
        services.Entry(objective=objective, period=D(2026, 1, 20), value="2.4"),
        services.Entry(objective=objective, period=D(2025, 12, 31), value="2.4"),
    ]

    with pytest.raises(services.MeasurementRowsError) as exc:
        services.measurement_record_many(actor=qa, entries=entries)

    errors = exc.value.row_errors
    assert set(errors) == {1, 2, 3}
    assert errors[1] == {"value": ["lots is not a number."]}
    assert "already has a value for Jan 2026" in errors[2]["period"][0]
    assert "is given twice (also in row 1)" in errors[3]["period"][0]
    assert exc.value.message_dict["rows"][0].startswith("Row 2, value: lots is not a number.")
    assert Measurement.objects.count() == 1


def test_many_values_refuse_objectives_outside_a_managers_scope(dept_manager):
    mine = ObjectiveFactory(owner=dept_manager.person)
    other = ObjectiveFactory(reference="OBJ-OTHER")
    entries = [
        services.Entry(objective=mine, period=D(2026, 2, 1), value="2"),
        services.Entry(objective=other, period=D(2026, 2, 1), value="2"),
    ]

    with pytest.raises(services.MeasurementRowsError) as exc:
        services.measurement_record_many(actor=dept_manager, entries=entries)

    assert exc.value.row_errors == {1: {"objective": ["You may not enter values of OBJ-OTHER."]}}
    assert not Measurement.objects.exists()


def test_historical_values_keep_the_time_they_were_entered(qa, objective):
    entered = datetime.datetime(2026, 2, 3, 9, 30, tzinfo=datetime.UTC)

    (measurement,) = services.measurement_record_many(
        actor=qa, entries=[services.Entry(objective=objective, period=D(2026, 1, 1), value="2", entered_at=entered)]
    )

    measurement.refresh_from_db()
    assert measurement.created_at == entered
    assert measurement.history.get().history_date == entered


def test_a_date_that_is_not_a_periods_first_day_is_refused_by_the_model(qa, objective):
    measurement = Measurement(objective=objective, period_start=D(2026, 2, 3), value=1, entered_by=qa)

    with pytest.raises(ValidationError) as exc:
        measurement.full_clean()

    assert exc.value.message_dict["period_start"] == [
        "2026-02-03 is not the first day of a monthly period; use 2026-02-01."
    ]


def test_a_value_entered_meanwhile_by_someone_else_is_a_conflict_not_a_crash(qa, objective):
    entries = [services.Entry(objective=objective, period=D(2026, 2, 1), value="2")]

    with (
        mock.patch.object(services, "bulk_create_with_history", side_effect=IntegrityError("unique")),
        pytest.raises(ApplicationError, match="meanwhile; nothing was saved"),
    ):
        services.measurement_record_many(actor=qa, entries=entries)
