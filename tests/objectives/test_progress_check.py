"""The daily progress check and the refresh of one objective: cached health, missing measurements, messages."""

import datetime
import math
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.core import mail

from objectives.models import Measurement, Objective
from objectives.services.progress import (
    KIND_ESCALATION,
    KIND_OFF_TRACK,
    KIND_OVERDUE,
    KIND_PROJECTED_TO_MISS,
    objective_refresh,
    progress_check_run,
)
from objectives.tasks.risks import progress_check_run_task
from qms.models import Notification
from qms.notifications import notify_once
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.objectives.factories_objectives import ObjectiveFactory, TargetRevisionFactory
from tests.objectives.factories_risks import add_measurements

pytestmark = pytest.mark.django_db

Health = Objective.Health


def at(day: str):
    """Travel to 09:00 UTC of `day` (10:00 in London in summer, the same date either way)."""
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T09:00:00+00:00"), tick=False)


def months(first: str, last: str, value: str) -> dict[str, str]:
    """{month start: value} for every month from `first` to `last` (ISO dates of month starts)."""
    start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    result = {}
    while start <= end:
        result[start.isoformat()] = value
        start = (start + datetime.timedelta(days=32)).replace(day=1)
    return result


def notifications(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("pk"))


@pytest.fixture
def head():
    return PersonFactory(user__first_name="Helen", user__last_name="Head")


@pytest.fixture
def objective(head):
    """Monthly, lower is better, target 2.0 +/- 0.3, from January 2025; measured up to January 2026."""
    department = DepartmentFactory(head=head)
    objective = ObjectiveFactory(department=department, owner=PersonFactory(department=department))
    add_measurements(objective, months("2025-01-01", "2026-01-01", "1.8"))
    return objective


# One objective -----------------------------------------------------------------------------------


def test_refresh_writes_the_cached_fields_without_a_history_entry(objective):
    history_before = objective.history.count()
    updated_at = objective.updated_at

    with at("2026-02-03"):
        refreshed = objective_refresh(objective_id=objective.pk)

    objective.refresh_from_db()
    assert refreshed.health == objective.health == Health.ON_TRACK
    assert objective.latest_value == Decimal("1.8")
    assert objective.latest_period == datetime.date(2026, 1, 1)
    assert objective.forecast_value == Decimal("1.8")
    assert objective.projected_to_miss is False
    assert objective.health_computed_at is not None
    assert objective.history.count() == history_before
    assert objective.updated_at == updated_at


def test_refresh_uses_the_approved_target_revision_in_force(objective):
    # The objective runs from January 2025 against 2.0; from July 2025 an approved revision asks 1.5.
    TargetRevisionFactory(
        objective=objective,
        status="approved",
        effective_from=datetime.date(2025, 7, 1),
        new_target=Decimal("1.5"),
        decided_by=objective.owner.user,
        decided_at=datetime.datetime(2025, 6, 20, tzinfo=datetime.UTC),
    )
    # A proposal nobody approved changes nothing.
    TargetRevisionFactory(objective=objective, effective_from=datetime.date(2025, 1, 1), new_target=Decimal("0.5"))
    # Approval writes the new values onto the objective.
    Objective.objects.filter(pk=objective.pk).update(target=Decimal("1.5"))
    Measurement.objects.filter(objective=objective, period_start__gte=datetime.date(2025, 7, 1)).delete()

    with at("2025-07-03"):
        # June's 1.8 is judged against the 2.0 in force in June.
        assert objective_refresh(objective_id=objective.pk).health == Health.ON_TRACK
    add_measurements(objective, {"2025-07-01": "1.8"})
    with at("2025-08-06"):
        # July's 1.8 is judged against 1.5 (+0.3 tolerance): at risk.
        assert objective_refresh(objective_id=objective.pk).health == Health.AT_RISK
    add_measurements(objective, {"2025-08-01": "1.9"})
    with at("2025-09-06"):
        assert objective_refresh(objective_id=objective.pk).health == Health.OFF_TRACK


def test_refresh_tells_the_owner_after_commit_when_the_objective_turns_off_track(
    objective, django_capture_on_commit_callbacks
):
    with at("2026-02-03"):
        objective_refresh(objective_id=objective.pk)
    add_measurements(objective, {"2026-02-01": "2.6"})

    with at("2026-03-02"):
        with django_capture_on_commit_callbacks() as callbacks:
            assert objective_refresh(objective_id=objective.pk).health == Health.OFF_TRACK
        assert notifications(KIND_OFF_TRACK) == []
        callbacks[0]()
        # The daily check that follows finds nothing new to say.
        progress_check_run()

    [sent] = notifications(KIND_OFF_TRACK)
    assert sent.recipient == objective.owner.user
    assert sent.period == "2026-03-02"
    assert "2.6%" in sent.body
    assert "at most 2%" in sent.body


# Missing measurements ----------------------------------------------------------------------------


def test_a_missing_measurement_is_overdue_only_after_the_grace_days(objective):
    # February is due by 5 March (period end + CLAUSE5_MEASUREMENT_GRACE_DAYS = 5).
    with at("2026-03-05"):
        result = progress_check_run()
    assert notifications(KIND_OVERDUE) == []
    assert result.get("with_missing_measurements", 0) == 0

    with at("2026-03-06"):
        result = progress_check_run()

    [sent] = notifications(KIND_OVERDUE)
    assert sent.recipient == objective.owner.user
    assert sent.subject_key == f"objectives.objective:{objective.pk}"
    assert sent.period == "2026-02-01"
    assert "February 2026" in sent.title
    assert result["with_missing_measurements"] == 1
    assert result["sent_measurement-overdue"] == 1
    assert [m.to for m in mail.outbox] == [[objective.owner.user.email]]
    objective.refresh_from_db()
    assert objective.health == Health.NO_DATA


def test_each_missing_period_is_notified_once(objective):
    with at("2026-03-06"):
        progress_check_run()
        progress_check_run()
    with at("2026-03-07"):
        progress_check_run()
    assert [n.period for n in notifications(KIND_OVERDUE)] == ["2026-02-01"]

    # March goes missing too: a new message for the new period.
    with at("2026-04-06"):
        progress_check_run()
    assert [n.period for n in notifications(KIND_OVERDUE)] == ["2026-02-01", "2026-03-01"]
    assert "February 2026" in notifications(KIND_OVERDUE)[-1].body


def test_the_grace_days_are_a_setting(objective, settings):
    settings.CLAUSE5_MEASUREMENT_GRACE_DAYS = 1
    with at("2026-03-02"):
        progress_check_run()
    assert [n.period for n in notifications(KIND_OVERDUE)] == ["2026-02-01"]


def test_still_missing_after_the_escalation_days_goes_to_the_department_head(objective, head):
    with at("2026-03-10"):
        progress_check_run()
    assert notifications(KIND_ESCALATION) == []

    with at("2026-03-11"):
        progress_check_run()
        progress_check_run()

    [sent] = notifications(KIND_ESCALATION)
    assert sent.recipient == head.user
    assert sent.period == "2026-02-01"
    assert str(objective.owner) in sent.body


def test_the_escalation_days_are_a_setting(objective, settings):
    settings.CLAUSE5_MEASUREMENT_ESCALATION_DAYS = 20
    with at("2026-03-11"):
        progress_check_run()
    assert notifications(KIND_ESCALATION) == []
    with at("2026-03-21"):
        progress_check_run()
    assert len(notifications(KIND_ESCALATION)) == 1


def test_an_owner_who_heads_the_department_is_escalated_to_the_head_above(head):
    top = DepartmentFactory(head=head)
    manager = PersonFactory()
    department = DepartmentFactory(parent=top, head=manager)
    objective = ObjectiveFactory(department=department, owner=manager)
    add_measurements(objective, months("2025-01-01", "2026-01-01", "1.8"))

    with at("2026-03-11"):
        progress_check_run()

    assert [n.recipient for n in notifications(KIND_ESCALATION)] == [head.user]


def test_a_measurement_entered_in_time_stops_the_messages(objective):
    add_measurements(objective, {"2026-02-01": "1.7"})
    with at("2026-03-20"):
        progress_check_run()
    assert notifications(KIND_OVERDUE) == notifications(KIND_ESCALATION) == []
    objective.refresh_from_db()
    assert objective.health == Health.ON_TRACK
    assert objective.latest_value == Decimal("1.7")


def test_only_active_objectives_are_checked(objective):
    Objective.objects.filter(pk=objective.pk).update(status=Objective.Status.ACHIEVED)
    with at("2026-03-20"):
        result = progress_check_run()
    assert result["objectives"] == 0
    assert Notification.objects.count() == 0


# Transitions -------------------------------------------------------------------------------------


def test_turning_off_track_is_notified_once_per_transition(objective):
    add_measurements(objective, {"2026-02-01": "1.9"})
    with at("2026-03-06"):
        progress_check_run()
    assert notifications(KIND_OFF_TRACK) == []

    add_measurements(objective, {"2026-03-01": "2.5"})
    with at("2026-04-06"):
        progress_check_run()
        progress_check_run()
    with at("2026-04-07"):
        progress_check_run()
    assert [n.period for n in notifications(KIND_OFF_TRACK)] == ["2026-04-06"]

    # Back on track, then off again: a new transition, a new message.
    add_measurements(objective, {"2026-04-01": "1.9"})
    with at("2026-05-06"):
        progress_check_run()
    add_measurements(objective, {"2026-05-01": "2.6"})
    with at("2026-06-06"):
        progress_check_run()
    assert [n.period for n in notifications(KIND_OFF_TRACK)] == ["2026-04-06", "2026-06-06"]


def test_turning_projected_to_miss_is_notified_once():
    # Lower is better, target 2.0: 1.0, 1.3, 1.6, 1.9 is on track today but heads past 2.0 by June.
    objective = ObjectiveFactory(start_date=datetime.date(2026, 1, 1))
    add_measurements(objective, {"2026-01-01": "1.0", "2026-02-01": "1.3", "2026-03-01": "1.6", "2026-04-01": "1.9"})

    with at("2026-05-06"):
        progress_check_run()
        progress_check_run()

    objective.refresh_from_db()
    assert objective.health == Health.ON_TRACK
    assert objective.projected_to_miss is True
    assert objective.forecast_value > Decimal("2.0")
    [sent] = notifications(KIND_PROJECTED_TO_MISS)
    assert sent.recipient == objective.owner.user
    assert "at most 2%" in sent.body


def test_a_second_run_the_same_day_sends_nothing(objective, head):
    # One objective missing February (overdue and escalated), one turning off track.
    off = ObjectiveFactory(department=objective.department)
    add_measurements(off, months("2025-01-01", "2026-02-01", "2.6"))
    with at("2026-03-11"):
        first = progress_check_run()
        sent_before = Notification.objects.count()
        outbox_before = len(mail.outbox)
        with mock.patch("objectives.services.progress.notify_once", wraps=notify_once) as spy:
            second = progress_check_run()

    assert first["sent_measurement-overdue"] == first["sent_measurement-escalation"] == 1
    assert first["sent_objective-off-track"] == 1
    assert spy.call_count == 0
    assert not [key for key in second if key.startswith("sent_")]
    assert second["updated"] == 0
    assert Notification.objects.count() == sent_before
    assert len(mail.outbox) == outbox_before


# Scale -------------------------------------------------------------------------------------------


def _many(count: int) -> None:
    """`count` on-track objectives of one owner, each with 36 monthly measurements (March 2023 on)."""
    owner = PersonFactory()
    objectives = ObjectiveFactory.create_batch(
        count, owner=owner, department=owner.department, start_date=datetime.date(2023, 3, 1)
    )
    values = months("2023-03-01", "2026-02-01", "1.8")
    assert len(values) == 36
    Measurement.objects.bulk_create(
        Measurement(
            objective=o,
            period_start=datetime.date.fromisoformat(period),
            value=Decimal(value),
            entered_by=owner.user,
        )
        for o in objectives
        for period, value in values.items()
    )


@pytest.mark.parametrize("count", [30, 300])
def test_the_query_count_grows_with_the_batches_not_the_objectives(count, django_assert_num_queries):
    _many(count)
    batches = math.ceil(count / 100)
    with at("2026-03-10"):
        # The active ids; per batch of 100: the objectives (owner and account joined),
        # their approved revisions, their measurements, one bulk update of the cached fields.
        with django_assert_num_queries(1 + 4 * batches):
            first = progress_check_run(batch_size=100)
        # Nothing changed: the bulk update becomes one update of the time stamp per batch.
        with django_assert_num_queries(1 + 4 * batches):
            second = progress_check_run(batch_size=100)
        # One batch holds them all: the same five queries for 30 objectives or 300.
        with (
            mock.patch("objectives.services.progress.notify_once", wraps=notify_once) as spy,
            django_assert_num_queries(5),
        ):
            progress_check_run()
    assert first["updated"] == count
    assert first["health_on_track"] == count
    assert second["updated"] == 0
    assert spy.call_count == 0


@pytest.mark.parametrize("count", [30, 300])
def test_messages_cost_queries_only_for_what_is_new(count, objective, django_assert_num_queries):
    _many(count)
    with at("2026-03-11"):
        first = progress_check_run()
        # The ids, then: objectives, revisions, measurements, time stamp update, the department
        # heads of the one objective to escalate, and the one lookup of the messages already sent.
        with (
            mock.patch("objectives.services.progress.notify_once", wraps=notify_once) as spy,
            django_assert_num_queries(7),
        ):
            progress_check_run()
    assert first["sent_measurement-overdue"] == first["sent_measurement-escalation"] == 1
    assert spy.call_count == 0


# The task ----------------------------------------------------------------------------------------


def test_the_task_runs_the_check(objective):
    with at("2026-03-06"):
        result = progress_check_run_task.delay().get()
    assert result["objectives"] == 1
    assert result["sent_measurement-overdue"] == 1
    assert result["date"] == "2026-03-06"
