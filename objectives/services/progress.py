"""The progress check: recompute objectives' health and forecast, find missing measurements, notify.

Two entry points share one computation (`objectives.health.assess`):

- `objective_refresh` recomputes one objective at once, after a measurement or a target changes,
  so its page shows the new health without waiting for the night.
- `progress_check_run` is the daily check of every ACTIVE objective (Celery beat). It works in
  batches: per batch one query each for the objectives, their measurements, their approved target
  revisions (and the notifications already sent, when there is anything to send), the health
  computed in Python, the cached fields written with one bulk update. The query count grows with
  the number of batches, not of objectives; e-mails go only for what changed.

The cached fields are written with `update()`/`bulk_update()`, never `save()`: they are computed,
and would otherwise fill the objective's audit trail with a line a day.

Notifications, each sent at most once (`qms.notifications.notify_once`):

- measurement-overdue, to the owner: a period's measurement is still missing
  CLAUSE5_MEASUREMENT_GRACE_DAYS after the period ended (period = that period's start date);
- measurement-escalation, to the department head: still missing
  CLAUSE5_MEASUREMENT_ESCALATION_DAYS after the period ended;
- objective-off-track and objective-projected-to-miss, to the owner, when the objective turns
  off track or projected to miss (compared with the cached value before; period = the day).
"""

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from leadership.models import Department
from objectives import health
from objectives.models import Measurement, Objective, TargetRevision
from objectives.selectors.objectives import targets_in_force
from qms.models import Notification
from qms.notifications import notify_once

logger = logging.getLogger(__name__)

KIND_OVERDUE = "measurement-overdue"
KIND_ESCALATION = "measurement-escalation"
KIND_OFF_TRACK = "objective-off-track"
KIND_PROJECTED_TO_MISS = "objective-projected-to-miss"
KINDS = (KIND_OVERDUE, KIND_ESCALATION, KIND_OFF_TRACK, KIND_PROJECTED_TO_MISS)

CACHED_FIELDS = ("health", "forecast_value", "projected_to_miss", "latest_value", "latest_period")
# What a batch loads with each objective: the owner to notify. Department heads are loaded only
# for the few objectives that need an escalation.
RELATED = ("owner__user",)
DEFAULT_BATCH_SIZE = 1000
# The newest missing periods listed in an overdue message; older ones are summed up.
LISTED_PERIODS = 6


def subject_key(objective_id: int) -> str:
    return f"objectives.objective:{objective_id}"


# Computing ---------------------------------------------------------------------------------------


def _start_date(objective: Objective) -> datetime.date | None:
    if objective.start_date is not None:
        return objective.start_date
    return timezone.localdate(objective.activated_at) if objective.activated_at else None


def _approved_revisions() -> Prefetch:
    # targets_in_force() reads these from the prefetch cache instead of querying per objective.
    return Prefetch("revisions", queryset=TargetRevision.objects.filter(status=TargetRevision.Status.APPROVED))


def _assess(
    objective: Objective,
    measurements: Sequence[tuple[datetime.date, Decimal]],
    today: datetime.date,
    grace: int,
) -> health.Assessment:
    """The objective's assessment; its approved revisions must be prefetched (`_approved_revisions`)."""
    timeline = health.timeline_from_steps(targets_in_force(objective), health.targets_of(objective))
    return health.assess(
        direction=objective.direction,
        frequency=objective.frequency,
        start_date=_start_date(objective),
        timeline=timeline,
        measurements=measurements,
        today=today,
        grace=grace,
    )


def _cached_values(assessment: health.Assessment) -> dict:
    return {
        "health": assessment.health,
        "forecast_value": assessment.forecast_value,
        "projected_to_miss": assessment.projected_to_miss,
        "latest_value": assessment.latest_value,
        "latest_period": assessment.latest_period,
    }


# Messages ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Notice:
    recipient: object
    kind: str
    objective: Objective
    period: str
    title: str
    body: str

    @property
    def key(self) -> tuple:
        return (self.recipient.pk, self.kind, subject_key(self.objective.pk), self.period)


def _objective_url(objective: Objective) -> str:
    try:
        path = objective.get_absolute_url()
    except NoReverseMatch:
        # The objective pages may not be wired yet; the list is the next best place.
        try:
            path = reverse("objectives:objective-list")
        except NoReverseMatch:
            path = "/objectives/"
    return settings.BASE_URL + path


def period_label(start: datetime.date, frequency: str) -> str:
    """How a period is named in messages: "week of 2 Mar 2026", "March 2026", "Q1 2026"."""
    if frequency == Objective.Frequency.WEEKLY:
        return f"week of {start.day} {start:%b %Y}"
    if frequency == Objective.Frequency.QUARTERLY:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return f"{start:%B %Y}"


def _value(value: Decimal | None, objective: Objective) -> str:
    if value is None:
        return "—"
    text = f"{value.normalize():f}"
    suffix = {Objective.Unit.PERCENT: "%", Objective.Unit.PPM: " ppm", Objective.Unit.DAYS: " days"}
    suffix[Objective.Unit.HOURS] = " hours"
    return text + suffix.get(objective.unit, "")


def _target_text(objective: Objective, targets: health.Targets | None) -> str:
    if targets is None or targets.target is None:
        return "no target"
    if objective.direction == Objective.Direction.BAND:
        return f"between {_value(targets.target, objective)} and {_value(targets.target_upper, objective)}"
    word = "at least" if objective.direction == Objective.Direction.HIGHER else "at most"
    return f"{word} {_value(targets.target, objective)}"


def _active_user(person):
    user = getattr(person, "user", None)
    return user if user is not None and user.is_active else None


def _departments_of(objectives: Iterable[Objective]) -> dict[int, Department]:
    """The departments whose heads may receive an escalation, heads and parents loaded, in one query."""
    ids = {o.department_id or o.owner.department_id for o in objectives} - {None}
    if not ids:
        return {}
    return {d.pk: d for d in Department.objects.filter(pk__in=ids).select_related("head__user", "parent__head__user")}


def _escalation_recipient(objective: Objective, departments: dict[int, Department]):
    """The head of the objective's department (or of its owner's, for a company-wide objective).

    An owner who heads that department is escalated to the head of the department above.
    """
    department = departments.get(objective.department_id or objective.owner.department_id)
    seen = set()
    while department is not None and department.pk not in seen:
        seen.add(department.pk)
        head = department.head
        if head is not None and head.pk != objective.owner_id and _active_user(head) is not None:
            return head.user
        department = department.parent
    return None


def _escalated_periods(
    objective: Objective, assessment: health.Assessment, today: datetime.date, escalation: int
) -> list[datetime.date]:
    frequency = objective.frequency
    return [
        p
        for p in assessment.missing_periods
        if health.period_end(p, frequency) + datetime.timedelta(days=escalation) < today
    ]


def _overdue_notices(
    objective: Objective,
    assessment: health.Assessment,
    today: datetime.date,
    escalation: int,
    departments: dict[int, Department],
) -> list[_Notice]:
    missing = assessment.missing_periods
    owner = _active_user(objective.owner)
    if not missing:
        return []
    frequency = objective.frequency
    newest = missing[-1]
    listed = ", ".join(period_label(p, frequency) for p in reversed(missing[-LISTED_PERIODS:]))
    more = len(missing) - LISTED_PERIODS
    if more > 0:
        listed += f" and {more} earlier period{'s' if more != 1 else ''}"
    url = _objective_url(objective)
    notices = []
    if owner is not None:
        due = health.measurement_due_date(newest, frequency)
        notices.append(
            _Notice(
                recipient=owner,
                kind=KIND_OVERDUE,
                objective=objective,
                period=newest.isoformat(),
                title=f"Measurement missing: {objective.reference} for {period_label(newest, frequency)}",
                body=(
                    f"No {objective.metric_name or 'value'} has been entered for {objective.reference} "
                    f"“{objective.title}” for {period_label(newest, frequency)}; it was due by {due:%d %b %Y}.\n"
                    f"Periods without a measurement: {listed}.\n\nEnter the value on the objective's page:\n{url}"
                ),
            )
        )
    escalated = _escalated_periods(objective, assessment, today, escalation)
    if escalated:
        head = _escalation_recipient(objective, departments)
        if head is not None:
            period = escalated[-1]
            notices.append(
                _Notice(
                    recipient=head,
                    kind=KIND_ESCALATION,
                    objective=objective,
                    period=period.isoformat(),
                    title=f"Escalation: {objective.reference} has no measurement for {period_label(period, frequency)}",
                    body=(
                        f"{objective.owner} has not entered the {period_label(period, frequency)} value of "
                        f"{objective.reference} “{objective.title}”, more than {escalation} days after the period "
                        f"ended. Periods without a measurement: {listed}.\n\n{url}"
                    ),
                )
            )
    return notices


def _transition_notices(
    objective: Objective, before: dict, assessment: health.Assessment, today: datetime.date
) -> list[_Notice]:
    owner = _active_user(objective.owner)
    if owner is None:
        return []
    notices = []
    url = _objective_url(objective)
    if assessment.health == Objective.Health.OFF_TRACK and before["health"] != Objective.Health.OFF_TRACK:
        period = assessment.latest_period
        label = period_label(period, objective.frequency) if period and objective.frequency else "the latest period"
        notices.append(
            _Notice(
                recipient=owner,
                kind=KIND_OFF_TRACK,
                objective=objective,
                period=today.isoformat(),
                title=f"{objective.reference} is off track",
                body=(
                    f"{objective.reference} “{objective.title}” measured "
                    f"{_value(assessment.latest_value, objective)} for {label}; the target is "
                    f"{_target_text(objective, assessment.targets)}, beyond the tolerance. Review the action plan "
                    f"and decide what to do:\n{url}"
                ),
            )
        )
    if assessment.projected_to_miss and not before["projected_to_miss"]:
        notices.append(
            _Notice(
                recipient=owner,
                kind=KIND_PROJECTED_TO_MISS,
                objective=objective,
                period=today.isoformat(),
                title=f"{objective.reference} is projected to miss its target",
                body=(
                    f"{objective.reference} “{objective.title}” is {objective.get_health_display().lower()} today, "
                    f"but the trend of its measurements reaches {_value(assessment.forecast_value, objective)} "
                    f"at the due date; the target is {_target_text(objective, assessment.due_targets)}. "
                    f"Check the action plan:\n{url}"
                ),
            )
        )
    return notices


def _send(notices: Iterable[_Notice], already_sent: set | None = None) -> Counter:
    sent = Counter()
    for notice in notices:
        if already_sent is not None and notice.key in already_sent:
            continue
        if notify_once(
            recipient=notice.recipient,
            kind=notice.kind,
            subject_key=subject_key(notice.objective.pk),
            period=notice.period,
            title=notice.title[:200],
            body=notice.body,
            url=_objective_url(notice.objective),
        ):
            sent[notice.kind] += 1
    return sent


def _sent_before(notices: Sequence[_Notice]) -> set:
    """The (recipient, kind, subject, period) of these notices that were sent already, in one query."""
    if not notices:
        return set()
    rows = Notification.objects.filter(
        kind__in={n.kind for n in notices}, subject_key__in={subject_key(n.objective.pk) for n in notices}
    ).values_list("recipient_id", "kind", "subject_key", "period")
    return set(rows)


# One objective -----------------------------------------------------------------------------------


@transaction.atomic
def objective_refresh(*, objective_id: int, today: datetime.date | None = None) -> Objective:
    """Recompute one objective's health, forecast and latest value (after a measurement changes).

    Writes the cached fields with `update()` (no history entry) and, once the transaction
    commits, tells the owner when the objective has just turned off track or projected to miss.
    """
    today = today or timezone.localdate()
    objective = Objective.objects.select_related(*RELATED).prefetch_related(_approved_revisions()).get(pk=objective_id)
    measurements = list(Measurement.objects.filter(objective_id=objective_id).values_list("period_start", "value"))
    assessment = _assess(objective, measurements, today, health.grace_days())
    before = {field: getattr(objective, field) for field in CACHED_FIELDS}
    values = {**_cached_values(assessment), "health_computed_at": timezone.now()}
    Objective.objects.filter(pk=objective_id).update(**values)
    for field, value in values.items():
        setattr(objective, field, value)
    if objective.status == Objective.Status.ACTIVE:
        notices = _transition_notices(objective, before, assessment, today)
        if notices:
            # After commit: a measurement or revision that is rolled back must not have told anyone.
            transaction.on_commit(lambda: _send(notices))
    return objective


# Every active objective --------------------------------------------------------------------------


def _batches(ids: Sequence[int], size: int):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _check_batch(ids: Sequence[int], today: datetime.date, grace: int, escalation: int, totals: Counter) -> None:
    objectives = list(
        Objective.objects.filter(pk__in=ids)
        .select_related(*RELATED)
        .prefetch_related(_approved_revisions())
        .order_by("pk")
    )
    measurements = defaultdict(list)
    rows = Measurement.objects.filter(objective_id__in=ids).values_list("objective_id", "period_start", "value")
    for objective_id, period, value in rows.order_by():
        measurements[objective_id].append((period, value))

    now = timezone.now()
    changed, unchanged, notices, overdue = [], [], [], []
    for objective in objectives:
        assessment = _assess(objective, measurements.get(objective.pk, ()), today, grace)
        values = _cached_values(assessment)
        before = {field: getattr(objective, field) for field in CACHED_FIELDS}
        if values != before:
            for field, value in values.items():
                setattr(objective, field, value)
            objective.health_computed_at = now
            changed.append(objective)
            notices += _transition_notices(objective, before, assessment, today)
        else:
            unchanged.append(objective.pk)
        if assessment.missing_periods:
            overdue.append((objective, assessment))
        totals[f"health_{assessment.health}"] += 1
        totals["projected_to_miss"] += assessment.projected_to_miss

    totals["with_missing_measurements"] += len(overdue)
    departments = _departments_of(
        o for o, assessment in overdue if _escalated_periods(o, assessment, today, escalation)
    )
    for objective, assessment in overdue:
        notices += _overdue_notices(objective, assessment, today, escalation, departments)

    if changed:
        Objective.objects.bulk_update(changed, [*CACHED_FIELDS, "health_computed_at"])
    if unchanged:
        Objective.objects.filter(pk__in=unchanged).update(health_computed_at=now)
    totals["updated"] += len(changed)
    # Most candidates were sent on an earlier day: one query finds those, so that notify_once
    # (a savepoint and an insert each) runs only for what is new.
    sent = _send(notices, already_sent=_sent_before(notices))
    for kind, count in sent.items():
        totals[f"sent_{kind}"] += count


def progress_check_run(*, today: datetime.date | None = None, batch_size: int = DEFAULT_BATCH_SIZE) -> dict:
    """The daily progress check of every ACTIVE objective; idempotent (a second run sends nothing).

    Returns counts for the log and the task result: objectives checked, batches, cached rows
    changed, objectives per health, those with missing measurements, messages sent per kind.
    """
    today = today or timezone.localdate()
    grace, escalation = health.grace_days(), health.escalation_days()
    ids = list(Objective.objects.filter(status=Objective.Status.ACTIVE).order_by("pk").values_list("pk", flat=True))
    totals = Counter()
    batches = 0
    for batch in _batches(ids, batch_size):
        _check_batch(batch, today, grace, escalation, totals)
        batches += 1
    result = {"date": today.isoformat(), "objectives": len(ids), "batches": batches, **dict(sorted(totals.items()))}
    logger.info("Progress check %s", result)
    return result
