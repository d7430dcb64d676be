"""Reads of measurements (6.2.1.e, 9.1): lists, the objective's measurement panel, fast entry, the dashboard."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from leadership.roles import Role
from objectives import charts
from objectives.models import Measurement, Objective
from objectives.models.measurements import period_label, period_shift, period_start_for, periods_between
from objectives.models.objectives import format_target, format_value
from objectives.selectors.objectives import manages_all_objectives, objective_scope_ok, targets_in_force

Health = Objective.Health

# QA staff enter values for every objective, as top management and the management representative may.
ENTER_ALL_ROLES = (Role.TOP_MANAGEMENT.value, Role.MANAGEMENT_REPRESENTATIVE.value, Role.QA_STAFF.value)
# How many recent values the dashboard's sparklines and the fast entry page look at.
RECENT_VALUES = 12
# How many past periods the fast entry page offers for catching up on missing values.
CATCH_UP_PERIODS = 6
# Worst first when the dashboard is sorted by health.
HEALTH_RANK = {Health.OFF_TRACK: 0, Health.AT_RISK: 1, Health.NO_DATA: 2, Health.ON_TRACK: 3}
HEALTH_BADGE = {
    Health.ON_TRACK: "text-bg-success",
    Health.AT_RISK: "text-bg-warning",
    Health.OFF_TRACK: "text-bg-danger",
    Health.NO_DATA: "text-bg-secondary",
}


# Who may enter values ---------------------------------------------------------------------------


def may_enter_for_all(user) -> bool:
    """QA staff, top management and the management representative enter values of every objective."""
    if user is None or not user.is_authenticated or not user.has_perm("objectives.add_measurement"):
        return False
    if not hasattr(user, "_c5_enters_all_measurements"):
        user._c5_enters_all_measurements = manages_all_objectives(user) or (
            user.groups.filter(name__in=ENTER_ALL_ROLES).exists()
        )
    return user._c5_enters_all_measurements


def may_enter_for(user, objective: Objective) -> bool:
    """Whether `user` may enter and correct values of `objective`: everyone's, or their own and their departments'."""
    if user is None or not user.has_perm("objectives.add_measurement"):
        return False
    return may_enter_for_all(user) or objective_scope_ok(user, objective)


# Lists -----------------------------------------------------------------------------------------------


def measurement_list() -> QuerySet[Measurement]:
    """Measurements with their objective, department and author, newest period first."""
    return Measurement.objects.select_related("objective__department", "entered_by").order_by(
        "-period_start", "objective__reference"
    )


def measurement_get(pk) -> Measurement:
    return measurement_list().select_related("objective__owner__user", "objective__department__head").get(pk=pk)


def recent_values(objective_ids, n: int = RECENT_VALUES) -> dict[int, list[tuple[datetime.date, Decimal]]]:
    """The last `n` (period start, value) pairs of each objective, oldest first, in ONE query.

    A window function numbers each objective's measurements from the newest, so the cost does
    not depend on how many objectives are asked for.
    """
    ids = list(objective_ids)
    result: dict[int, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    if not ids:
        return result
    rows = (
        Measurement.objects.filter(objective_id__in=ids)
        .annotate(newest=Window(RowNumber(), partition_by=[F("objective_id")], order_by=F("period_start").desc()))
        .filter(newest__lte=n)
        .order_by("objective_id", "period_start")
        .values_list("objective_id", "period_start", "value")
    )
    for objective_id, period_start, value in rows:
        result[objective_id].append((period_start, value))
    return result


def _places(values) -> int:
    """The most decimal places among measured values (how precisely the metric is measured)."""
    return min(4, max((max(0, -Decimal(v).normalize().as_tuple().exponent) for v in values), default=2))


def forecast_text(objective: Objective, values) -> str:
    """The cached forecast, rounded as precisely as the values it comes from are measured."""
    forecast = objective.forecast_value
    if forecast is None:
        return ""
    return format_value(forecast.quantize(Decimal(1).scaleb(-_places(values))), objective.unit)


# Periods due -----------------------------------------------------------------------------------------------


def open_periods(
    objective: Objective, measured: set[datetime.date], today: datetime.date, catch_up: int = CATCH_UP_PERIODS
) -> list[datetime.date]:
    """Periods a value may be entered for now, oldest first: recent ended ones still without a value, and
    the current one if it has none. Bounded by the objective's start and due dates."""
    frequency = objective.frequency
    if not frequency:
        return []
    current = period_start_for(frequency, today)
    first = period_shift(frequency, current, -catch_up)
    if objective.start_date:
        first = max(first, period_start_for(frequency, objective.start_date))
    periods = [p for p in periods_between(frequency, first, current) if p not in measured]
    if objective.due_date:
        periods = [p for p in periods if p <= objective.due_date]
    return periods


def due_period(periods: list[datetime.date], today: datetime.date, frequency: str) -> datetime.date | None:
    """The period whose value is expected next: the oldest ended one without a value, else the current one."""
    if not periods:
        return None
    ended = [p for p in periods if p < period_start_for(frequency, today)]
    return ended[0] if ended else periods[-1]


# Fast entry ---------------------------------------------------------------------------------------------------


@dataclass
class EntryRow:
    """One line of the fast entry page: an objective, the periods open for a value, and its last value."""

    objective: Objective
    periods: list[datetime.date]
    due: datetime.date | None
    last_period: datetime.date | None
    last_value: Decimal | None
    target_text: str
    last_text: str
    last_label: str
    period_choices: list[tuple[str, str]] = field(default_factory=list)
    overdue: int = 0


def objectives_for_entry(user, *, everything: bool = False) -> QuerySet[Objective]:
    """Active objectives whose values `user` enters: those they own and those of departments they head;
    every active objective with `everything` for those who may enter values of all."""
    queryset = (
        Objective.objects.filter(status=Objective.Status.ACTIVE)
        .select_related("owner__user", "department")
        .order_by("reference")
    )
    if everything and may_enter_for_all(user):
        return queryset
    return queryset.filter(Q(owner__user=user) | Q(department__head__user=user))


def entry_rows(objectives, today: datetime.date | None = None) -> list[EntryRow]:
    """Rows of the fast entry page for `objectives`, with two queries whatever their number."""
    today = today or timezone.localdate()
    objectives = list(objectives)
    recent = recent_values([o.pk for o in objectives], n=RECENT_VALUES)
    rows = []
    for objective in objectives:
        values = recent.get(objective.pk, [])
        measured = {day for day, _ in values}
        periods = open_periods(objective, measured, today)
        last_period, last_value = values[-1] if values else (None, None)
        current = period_start_for(objective.frequency, today) if objective.frequency else None
        rows.append(
            EntryRow(
                objective=objective,
                periods=periods,
                due=due_period(periods, today, objective.frequency),
                last_period=last_period,
                last_value=last_value,
                target_text=format_target(
                    objective.direction, objective.target, objective.target_upper, objective.unit
                ),
                last_text=format_value(last_value, objective.unit),
                last_label=period_label(objective.frequency, last_period) if last_period else "",
                period_choices=[
                    (p.isoformat(), period_label(objective.frequency, p) + (" (in progress)" if p == current else ""))
                    for p in periods
                ],
                overdue=sum(1 for p in periods if current and p < current),
            )
        )
    return rows


# The objective's measurement panel (on the objective page) ----------------------------------------------


@dataclass
class Correction:
    """One correction of a value, from the history: what it was, when, by whom, why."""

    old_value: Decimal
    new_value: Decimal
    at: datetime.datetime
    by: str
    reason: str
    comment_only: bool = False


def corrections_for(measurements) -> dict[int, list[Correction]]:
    """Each measurement's corrections, oldest first, read from the history in one query."""
    ids = [m.pk for m in measurements]
    corrections: dict[int, list[Correction]] = defaultdict(list)
    if not ids:
        return corrections
    records = (
        Measurement.history.filter(id__in=ids)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    previous = None
    for record in records:
        changed = previous is not None and (record.value != previous.value or record.comment != previous.comment)
        if changed and previous.id == record.id and record.history_type == "~":
            user = record.history_user
            corrections[record.id].append(
                Correction(
                    old_value=previous.value,
                    new_value=record.value,
                    at=record.history_date,
                    by=(user.get_full_name() or user.get_username()) if user else "someone",
                    reason=record.correction_reason,
                    comment_only=record.value == previous.value,
                )
            )
        previous = record
    return corrections


def target_steps(objective: Objective) -> list[tuple]:
    """The targets in force over time (see objectives.selectors.objectives.targets_in_force)."""
    steps = targets_in_force(objective)
    if steps:
        return steps
    # Without a start date the objective's own values are the only targets known.
    return [(None, objective.target, objective.target_upper, objective.tolerance)]


def schedule_figures(objective: Objective, measured: set[datetime.date], today: datetime.date) -> dict:
    """How many of the ended periods since the start have a value: the evidence that it is monitored (6.2.1.e)."""
    frequency = objective.frequency
    if not frequency or objective.start_date is None:
        return {"expected": 0, "measured": 0, "missing": []}
    last = period_shift(frequency, period_start_for(frequency, today), -1)
    if objective.due_date:
        last = min(last, period_start_for(frequency, objective.due_date))
    first = period_start_for(frequency, objective.start_date)
    expected = periods_between(frequency, first, last) if last >= first else []
    missing = [p for p in expected if p not in measured]
    return {
        "expected": len(expected),
        "measured": len(expected) - len(missing),
        "missing": [period_label(frequency, p) for p in missing],
    }


def objective_measurement_panel(objective: Objective, today: datetime.date | None = None, user=None) -> dict:
    """What the objective page shows about measurements: chart, values newest first with their
    corrections, the period due for entry, and the health and forecast cached on the objective.

    With `user`, `may_enter` says whether they may enter and correct its values (a department
    manager only for their own); without, it is None and the template goes by the permission.
    """
    today = today or timezone.localdate()
    measurements = list(objective.measurements.select_related("entered_by").order_by("-period_start"))
    for m in measurements:
        m.objective = objective
    corrections = corrections_for(measurements)
    rows = [
        {
            "measurement": m,
            "label": period_label(objective.frequency, m.period_start) if objective.frequency else str(m.period_start),
            "value_text": format_value(m.value, objective.unit),
            "corrections": corrections.get(m.pk, []),
        }
        for m in measurements
    ]
    steps = target_steps(objective)
    measured = {m.period_start for m in measurements}
    periods = open_periods(objective, measured, today) if objective.status == Objective.Status.ACTIVE else []
    due = due_period(periods, today, objective.frequency) if periods else None
    return {
        "objective": objective,
        "rows": rows,
        "count": len(measurements),
        "chart_svg": charts.objective_chart_svg(objective, list(reversed(measurements)), steps),
        "steps": steps,
        "accepts_values": objective.status == Objective.Status.ACTIVE and bool(objective.frequency),
        "may_enter": may_enter_for(user, objective) if user is not None else None,
        "due_period": due,
        "due_label": period_label(objective.frequency, due) if due else "",
        "open_periods": [(p, period_label(objective.frequency, p)) for p in periods],
        "schedule": schedule_figures(objective, measured, today),
        "health": objective.health,
        "health_label": objective.get_health_display(),
        "health_badge": HEALTH_BADGE.get(objective.health, "text-bg-secondary"),
        "latest_text": format_value(objective.latest_value, objective.unit),
        "latest_label": period_label(objective.frequency, objective.latest_period)
        if objective.latest_period and objective.frequency
        else "",
        "target_text": format_target(objective.direction, objective.target, objective.target_upper, objective.unit),
        "forecast_text": forecast_text(objective, [m.value for m in measurements]),
        "projected_to_miss": objective.projected_to_miss,
        "computed_at": objective.health_computed_at,
    }


# The objectives dashboard -------------------------------------------------------------------------------------


def objective_dashboard_list() -> QuerySet[Objective]:
    """Objectives for the dashboard: owner and department loaded, a health rank to sort worst first."""
    return Objective.objects.select_related("owner__user", "department").annotate(
        health_rank=Case(
            *(When(health=value, then=Value(rank)) for value, rank in HEALTH_RANK.items()),
            default=Value(len(HEALTH_RANK)),
            output_field=IntegerField(),
        )
    )


@dataclass
class DashboardRow:
    """One objective on the dashboard, with the figures shown for it."""

    objective: Objective
    recent: list[tuple[datetime.date, Decimal]]
    latest_text: str
    latest_label: str
    target_text: str
    forecast_text: str
    sparkline_svg: str
    health_badge: str


def dashboard_rows(objectives, *, sparklines: bool = True) -> list[DashboardRow]:
    """The page's objectives with their last values and sparklines: one query for all their values."""
    objectives = list(objectives)
    recent = recent_values([o.pk for o in objectives])
    rows = []
    for objective in objectives:
        values = recent.get(objective.pk, [])
        latest_period, latest_value = values[-1] if values else (None, None)
        unit = objective.unit
        rows.append(
            DashboardRow(
                objective=objective,
                recent=values,
                latest_text=format_value(latest_value, unit),
                latest_label=period_label(objective.frequency, latest_period)
                if latest_period and objective.frequency
                else "",
                target_text=format_target(objective.direction, objective.target, objective.target_upper, unit),
                forecast_text=forecast_text(objective, [v for _d, v in values]),
                sparkline_svg=charts.sparkline_svg(
                    [v for _, v in values], title=f"Last {len(values)} values of {objective.reference}"
                )
                if sparklines and values
                else "",
                health_badge=HEALTH_BADGE.get(objective.health, "text-bg-secondary"),
            )
        )
    return rows


def health_counts(queryset: QuerySet[Objective]) -> dict[str, int]:
    """How many objectives of `queryset` are in each health state, and how many are projected to miss, in one query."""
    return queryset.order_by().aggregate(
        total=Count("pk"),
        **{value: Count("pk", filter=Q(health=value)) for value in Health.values},
        projected_to_miss=Count("pk", filter=Q(projected_to_miss=True)),
    )
