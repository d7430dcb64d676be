"""Health and forecast of a quality objective, as pure functions of its metric and measurements.

Nothing here reads the database: the progress check (`objectives.services.progress`) loads
objectives, measurements and approved target revisions in bulk and hands plain values to
these functions, so one objective or ten thousand are judged by the same code.

Rules, in short:

- A measurement is due for every period (week, month, quarter) from the one holding the
  objective's start date up to the one holding its due date, once the period has ended and a
  grace period has passed (CLAUSE5_MEASUREMENT_GRACE_DAYS).
- Health: "no data" when the last due period has no measurement (or the objective is not
  measurable); otherwise the latest value is compared with the target in force for its period.
- Forecast: a least-squares line through all measurements (x = days since the first period),
  read at the due date. "Projected to miss" when that value is on the wrong side of the target
  (tolerance ignored) while the objective is on track or at risk.
"""

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from objectives.models import Objective

Health = Objective.Health
Direction = Objective.Direction
Frequency = Objective.Frequency

# The cached fields are DecimalField(max_digits=14, decimal_places=4).
PLACES = Decimal("0.0001")
LARGEST = Decimal("9999999999.9999")
MIN_FORECAST_POINTS = 3


def grace_days() -> int:
    """Days after a period ends before its measurement counts as missing."""
    return int(getattr(settings, "CLAUSE5_MEASUREMENT_GRACE_DAYS", 5))


def escalation_days() -> int:
    """Days after a period ends before a still-missing measurement goes to the department head."""
    return int(getattr(settings, "CLAUSE5_MEASUREMENT_ESCALATION_DAYS", 10))


# Periods -----------------------------------------------------------------------------------------


def period_start(day: datetime.date, frequency: str) -> datetime.date:
    """The first day of the period holding `day`: Monday, the 1st of the month, or of the quarter."""
    if frequency == Frequency.WEEKLY:
        return day - datetime.timedelta(days=day.weekday())
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    if frequency == Frequency.QUARTERLY:
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    raise ValueError(f"Unknown frequency {frequency!r}")


def next_period_start(start: datetime.date, frequency: str) -> datetime.date:
    if frequency == Frequency.WEEKLY:
        return start + datetime.timedelta(days=7)
    months = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3}.get(frequency)
    if months is None:
        raise ValueError(f"Unknown frequency {frequency!r}")
    month_index = start.year * 12 + start.month - 1 + months
    return datetime.date(month_index // 12, month_index % 12 + 1, 1)


def period_end(start: datetime.date, frequency: str) -> datetime.date:
    """The last day of the period that begins on `start`."""
    return next_period_start(start, frequency) - datetime.timedelta(days=1)


def measurement_due_date(start: datetime.date, frequency: str, grace: int | None = None) -> datetime.date:
    """The last day on which the period's measurement is still on time."""
    return period_end(start, frequency) + datetime.timedelta(days=grace_days() if grace is None else grace)


def due_periods(
    first_day: datetime.date | None,
    today: datetime.date,
    frequency: str,
    *,
    last_day: datetime.date | None = None,
    grace: int | None = None,
) -> list[datetime.date]:
    """Starts of the periods from the one holding `first_day` whose measurement is due by `today`.

    A period is due once it has ended and `grace` days (default CLAUSE5_MEASUREMENT_GRACE_DAYS)
    have passed. Periods that begin after `last_day` (the objective's due date) are not asked for.
    """
    if first_day is None or frequency not in Frequency.values:
        return []
    grace = grace_days() if grace is None else grace
    # A period is due when period end + grace < today, that is when it begins before the period
    # holding (today - grace).
    before = period_start(today - datetime.timedelta(days=grace), frequency)
    periods = []
    start = period_start(first_day, frequency)
    while start < before and (last_day is None or start <= last_day):
        periods.append(start)
        start = next_period_start(start, frequency)
    return periods


# Targets in force --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """The target, band, tolerance and due date that apply from `effective_from` on."""

    target: Decimal | None
    target_upper: Decimal | None = None
    tolerance: Decimal | None = None
    due_date: datetime.date | None = None
    effective_from: datetime.date | None = None


def targets_of(objective) -> Targets:
    """The objective's own target fields: the values of its latest approved revision, if any."""
    return Targets(
        target=objective.target,
        target_upper=objective.target_upper,
        tolerance=objective.tolerance,
        due_date=objective.due_date,
    )


def timeline_from_steps(steps: Sequence[tuple], current: Targets) -> list[Targets]:
    """Targets over time, oldest first, from `objectives.selectors.objectives.targets_in_force` steps.

    Each step is (from, target, target_upper, tolerance). The due date is the objective's own:
    approving a revision writes its due date onto the objective. Without steps (no start date),
    the objective's own targets apply throughout.
    """
    if not steps:
        return [current]
    return [
        Targets(
            target=target,
            target_upper=target_upper,
            tolerance=tolerance,
            due_date=current.due_date,
            effective_from=day,
        )
        for day, target, target_upper, tolerance in steps
    ]


def targets_on(timeline: Sequence[Targets], day: datetime.date) -> Targets:
    """The targets in force on `day`: the last step starting on or before it (the first before any)."""
    in_force = timeline[0]
    for targets in timeline[1:]:
        if targets.effective_from is not None and targets.effective_from <= day:
            in_force = targets
    return in_force


# Health ------------------------------------------------------------------------------------------


def health_of(value: Decimal | None, direction: str, targets: Targets) -> str:
    """On track, at risk or off track for one value against the targets in force; no data without both."""
    target = targets.target
    if value is None or target is None or direction not in Direction.values:
        return Health.NO_DATA
    tolerance = targets.tolerance or Decimal(0)
    if direction == Direction.HIGHER:
        if value >= target:
            return Health.ON_TRACK
        return Health.AT_RISK if value >= target - tolerance else Health.OFF_TRACK
    if direction == Direction.LOWER:
        if value <= target:
            return Health.ON_TRACK
        return Health.AT_RISK if value <= target + tolerance else Health.OFF_TRACK
    upper = targets.target_upper if targets.target_upper is not None else target
    if target <= value <= upper:
        return Health.ON_TRACK
    if target - tolerance <= value <= upper + tolerance:
        return Health.AT_RISK
    return Health.OFF_TRACK


def misses_target(value: Decimal, direction: str, targets: Targets) -> bool:
    """Whether `value` is on the wrong side of the target itself (tolerance ignored)."""
    target = targets.target
    if target is None:
        return False
    if direction == Direction.HIGHER:
        return value < target
    if direction == Direction.LOWER:
        return value > target
    upper = targets.target_upper if targets.target_upper is not None else target
    return value < target or value > upper


# Forecast ----------------------------------------------------------------------------------------


def forecast(points: Sequence[tuple[datetime.date, Decimal]], at: datetime.date) -> Decimal | None:
    """The least-squares line through (period start, value) read at `at`, to 4 decimal places.

    x is days since the earliest period. None with fewer than 3 points, or when the line
    leaves the range the cached field can hold.
    """
    if len(points) < MIN_FORECAST_POINTS:
        return None
    origin = min(day for day, _ in points)
    xs = [float((day - origin).days) for day, _ in points]
    ys = [float(value) for _, value in points]
    n = len(points)
    # Centred sums keep the float arithmetic stable for large values and long series.
    mean_x, mean_y = math.fsum(xs) / n, math.fsum(ys) / n
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    projected = mean_y + slope * ((at - origin).days - mean_x)
    if not math.isfinite(projected):
        return None
    result = Decimal(repr(projected)).quantize(PLACES)
    if abs(result) > LARGEST:
        return None
    # -0.0000 reads oddly on a page.
    return result if result else Decimal("0.0000")


# The whole assessment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """Everything the progress check derives for one objective on one day."""

    health: str
    latest_value: Decimal | None
    latest_period: datetime.date | None
    forecast_value: Decimal | None
    projected_to_miss: bool
    # Due periods without a measurement, oldest first (each one is overdue).
    missing_periods: tuple[datetime.date, ...]
    # The targets the latest value was judged against, and those in force at the due date.
    targets: Targets | None
    due_targets: Targets


def assess(
    *,
    direction: str,
    frequency: str,
    start_date: datetime.date | None,
    timeline: Sequence[Targets],
    measurements: Iterable[tuple[datetime.date, Decimal]],
    today: datetime.date,
    grace: int | None = None,
) -> Assessment:
    """Health, latest value, forecast and missing periods of one objective on `today`.

    `timeline` is the targets over time (`timeline_from_steps`, or `[targets_of(objective)]`),
    `measurements` the (period start, value) pairs in any order.
    """
    points = sorted(measurements)
    now_in_force = targets_on(timeline, today)
    due_date = now_in_force.due_date
    measured = {day for day, _ in points}
    due = due_periods(start_date, today, frequency, last_day=due_date, grace=grace)
    missing = tuple(day for day in due if day not in measured)
    latest_period, latest_value = points[-1] if points else (None, None)

    if (due and due[-1] in missing) or latest_period is None:
        health, in_force = Health.NO_DATA, None
    else:
        in_force = targets_on(timeline, latest_period)
        health = health_of(latest_value, direction, in_force)

    projected = None
    due_targets = targets_on(timeline, due_date) if due_date is not None else now_in_force
    if due_date is not None and direction in Direction.values:
        projected = forecast(points, due_date)
    to_miss = bool(
        projected is not None
        and health in (Health.ON_TRACK, Health.AT_RISK)
        and misses_target(projected, direction, due_targets)
    )
    return Assessment(
        health=health,
        latest_value=latest_value,
        latest_period=latest_period,
        forecast_value=projected,
        projected_to_miss=to_miss,
        missing_periods=missing,
        targets=in_force,
        due_targets=due_targets,
    )
