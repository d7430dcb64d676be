"""Reads of the weekly operation report: which week, what the report says, who receives it.

`weekly_report_content` compiles the week's problems and resource requests as plain JSON (dates
as ISO strings, links as site paths) in a fixed number of queries; the report freezes it.
`weekly_report_sections` turns the frozen JSON back into what the page, the PDF and the e-mail show.
"""

import contextlib
import datetime
import re
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from evidence.models import WeeklyReport
from evidence.selectors.access import representative_names
from leadership.models.customers import CustomerFeedback
from leadership.models.feedback import EmployeeFeedback, feedback_answer_days
from leadership.models.resources import ResourceRequest
from leadership.roles import Role
from objectives import health
from objectives.models import Measurement, Objective, TargetRevision
from objectives.selectors.objectives import targets_in_force
from objectives.services.progress import KIND_OFF_TRACK, KIND_PROJECTED_TO_MISS, period_label, subject_key
from qms.models import Notification
from reviews.models.actions import Action

User = get_user_model()

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
OBJECTIVE_SUBJECT_PREFIX = subject_key(0)[:-1]  # "objectives.objective:"

# The sections of a report, in the order the page, the PDF and the e-mail show them.
SECTIONS = (
    ("complaints", "New customer complaints and returns"),
    ("overdue_actions", "Actions overdue"),
    ("off_track", "Objectives that turned off track"),
    ("missing_measurements", "Missing measurements"),
    ("unanswered_feedback", "Employee feedback unanswered beyond the target"),
    ("resources_submitted", "Resource requests submitted"),
    ("resources_decided", "Resource requests decided"),
)


# Weeks -----------------------------------------------------------------------------------------------


def week_of(day: datetime.date) -> str:
    """The ISO week holding `day`, e.g. "2026-W48"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of an ISO week like "2026-W48"; ValidationError when it is not one."""
    match = WEEK_PATTERN.match(week or "")
    if match:
        try:
            monday = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            monday = None
        if monday is not None:
            return monday, monday + datetime.timedelta(days=6)
    raise ValidationError({"week": f"{week!r} is not an ISO week; write it like 2026-W48."})


def previous_week(today: datetime.date | None = None) -> str:
    """The last complete ISO week (Monday to Sunday) before `today`."""
    return week_of((today or timezone.localdate()) - datetime.timedelta(days=7))


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# The content -----------------------------------------------------------------------------------------


def _name(person) -> str:
    return person.full_name if person is not None else ""


def _complaints(start, end) -> list[dict]:
    rows = CustomerFeedback.objects.filter(
        type__in=CustomerFeedback.SEVERITY_TYPES, received_date__gte=start, received_date__lte=end
    ).select_related("customer", "department", "owner__user")
    items = [
        {
            "reference": f.reference,
            "type": f.get_type_display(),
            "customer": f.customer.name,
            "severity": f.severity,
            "severity_label": f.get_severity_display(),
            "received": f.received_date.isoformat(),
            "product": f.product,
            "department": str(f.department),
            "owner": _name(f.owner),
            "status": f.get_status_display(),
            "url": f.get_absolute_url(),
        }
        for f in rows
    ]
    return sorted(items, key=lambda i: (SEVERITY_ORDER.get(i["severity"], 9), i["received"], i["reference"]))


def _overdue_actions(as_of) -> list[dict]:
    rows = (
        Action.objects.filter(status__in=Action.OPEN_STATUSES, due_date__lt=as_of)
        .select_related("owner__user", "department")
        .order_by("due_date", "reference")
    )
    return [
        {
            "reference": a.reference,
            "title": a.title,
            "owner": _name(a.owner),
            "department": str(a.department) if a.department_id else "",
            "priority": a.get_priority_display(),
            "due": a.due_date.isoformat(),
            "days_overdue": (as_of - a.due_date).days,
            "status": a.get_status_display(),
            "url": a.get_absolute_url(),
        }
        for a in rows
    ]


def _off_track(start, end) -> list[dict]:
    """Objectives the daily progress check found turning off track (or projected to miss) this week.

    The check records each transition as a notification to the owner (period = the day), so the
    week's notifications are the week's transitions.
    """
    turned = {}
    rows = Notification.objects.filter(
        kind__in=(KIND_OFF_TRACK, KIND_PROJECTED_TO_MISS),
        subject_key__startswith=OBJECTIVE_SUBJECT_PREFIX,
        period__gte=start.isoformat(),
        period__lte=end.isoformat(),
    ).values_list("subject_key", "kind", "period")
    for key, kind, period in rows:
        try:
            objective_id = int(key.removeprefix(OBJECTIVE_SUBJECT_PREFIX))
        except ValueError:
            continue
        if (objective_id, kind) not in turned or period < turned[(objective_id, kind)]:
            turned[(objective_id, kind)] = period
    objectives = Objective.objects.select_related("owner__user", "department").in_bulk(
        {objective_id for objective_id, _kind in turned}
    )
    labels = {KIND_OFF_TRACK: "Off track", KIND_PROJECTED_TO_MISS: "Projected to miss its target"}
    items = []
    for (objective_id, kind), day in turned.items():
        objective = objectives.get(objective_id)
        if objective is None:
            continue
        items.append(
            {
                "reference": objective.reference,
                "title": objective.title,
                "owner": _name(objective.owner),
                "department": str(objective.department) if objective.department_id else "",
                "what": labels[kind],
                "on": day,
                "health_now": objective.get_health_display(),
                "url": objective.get_absolute_url(),
            }
        )
    return sorted(items, key=lambda i: (i["on"], i["reference"], i["what"]))


def _missing_measurements(start, end, as_of) -> list[dict]:
    """Every period of an active objective whose measurement is overdue at the end of the week.

    The same rule as the progress check (`objectives.health.assess`): a period is due once it has
    ended and the grace days have passed. `new` marks those that became overdue this week.
    """
    objectives = list(
        Objective.objects.filter(status=Objective.Status.ACTIVE)
        .exclude(frequency="")
        .select_related("owner__user", "department")
        .prefetch_related(
            Prefetch("revisions", queryset=TargetRevision.objects.filter(status=TargetRevision.Status.APPROVED))
        )
        .order_by("reference")
    )
    values = defaultdict(list)
    for objective_id, period, value in Measurement.objects.filter(
        objective__in=[o.pk for o in objectives], period_start__lt=as_of
    ).values_list("objective_id", "period_start", "value"):
        values[objective_id].append((period, value))
    grace = health.grace_days()
    items = []
    for objective in objectives:
        start_date = objective.start_date or (
            timezone.localdate(objective.activated_at) if objective.activated_at else None
        )
        timeline = health.timeline_from_steps(targets_in_force(objective), health.targets_of(objective))
        assessment = health.assess(
            direction=objective.direction,
            frequency=objective.frequency,
            start_date=start_date,
            timeline=timeline,
            measurements=values.get(objective.pk, ()),
            today=as_of,
            grace=grace,
        )
        for period in assessment.missing_periods:
            due = health.measurement_due_date(period, objective.frequency, grace)
            items.append(
                {
                    "reference": objective.reference,
                    "title": objective.title,
                    "period": period.isoformat(),
                    "period_label": period_label(period, objective.frequency),
                    "due": due.isoformat(),
                    "new": start <= due + datetime.timedelta(days=1) <= end,
                    "owner": _name(objective.owner),
                    "department": str(objective.department) if objective.department_id else "",
                    "url": objective.get_absolute_url(),
                }
            )
    return items


def _unanswered_feedback(as_of_moment) -> list[dict]:
    days = feedback_answer_days()
    cutoff = as_of_moment - datetime.timedelta(days=days)
    rows = (
        EmployeeFeedback.objects.filter(status__in=EmployeeFeedback.OPEN_STATUSES, submitted_at__lt=cutoff)
        .select_related("department")
        .order_by("submitted_at", "pk")
    )
    # Never the reporter: feedback may be anonymous, and the report goes by e-mail.
    return [
        {
            "reference": f.reference,
            "title": f.title,
            "kind": f.get_kind_display(),
            "department": str(f.department) if f.department_id else "",
            "submitted": timezone.localdate(f.submitted_at).isoformat(),
            "days_open": (as_of_moment - f.submitted_at).days,
            "target_days": days,
            "status": f.get_status_display(),
            "url": f.get_absolute_url(),
        }
        for f in rows
    ]


def _resource_item(r: ResourceRequest) -> dict:
    return {
        "reference": r.reference,
        "title": r.title,
        "category": r.get_category_display(),
        "amount": f"{r.amount:.2f}",
        "currency": r.currency,
        "requester": _name(r.requester),
        "department": str(r.department) if r.department_id else "",
        "submitted": timezone.localdate(r.created_at).isoformat(),
        "status": r.get_status_display(),
        "decided_by": (r.decided_by.get_full_name() or r.decided_by.get_username()) if r.decided_by_id else "",
        "decided": timezone.localdate(r.decided_at).isoformat() if r.decided_at else "",
        "url": r.get_absolute_url(),
    }


def _resource_requests(start_moment, end_moment) -> tuple[list[dict], list[dict]]:
    rows = (
        ResourceRequest.objects.filter(
            Q(created_at__gte=start_moment, created_at__lt=end_moment)
            | Q(decided_at__gte=start_moment, decided_at__lt=end_moment)
        )
        .select_related("requester__user", "department", "decided_by")
        .order_by("created_at", "pk")
    )
    submitted, decided = [], []
    for r in rows:
        if start_moment <= r.created_at < end_moment:
            submitted.append(_resource_item(r))
        if r.decided_at is not None and start_moment <= r.decided_at < end_moment:
            decided.append(_resource_item(r))
    return submitted, decided


def weekly_report_content(*, start: datetime.date, end: datetime.date) -> dict:
    """What the report for the week `start`-`end` says, as plain JSON; a fixed number of queries.

    Overdue items are judged at the end of the week (the Monday after, 00:00 local time), with
    each record's state when the report is written.
    """
    as_of = end + datetime.timedelta(days=1)
    start_moment, as_of_moment = _local_midnight(start), _local_midnight(as_of)
    submitted, decided = _resource_requests(start_moment, as_of_moment)
    data = {
        "week": week_of(start),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "as_of": as_of.isoformat(),
        "representatives": representative_names(),
        "complaints": _complaints(start, end),
        "overdue_actions": _overdue_actions(as_of),
        "off_track": _off_track(start, end),
        "missing_measurements": _missing_measurements(start, end, as_of),
        "unanswered_feedback": _unanswered_feedback(as_of_moment),
        "resources_submitted": submitted,
        "resources_decided": decided,
        "feedback_answer_days": feedback_answer_days(),
        "measurement_grace_days": health.grace_days(),
    }
    data["counts"] = {key: len(data[key]) for key, _title in SECTIONS}
    return data


# Reading reports -------------------------------------------------------------------------------------


def weekly_report_list() -> QuerySet[WeeklyReport]:
    return WeeklyReport.objects.order_by("-period_start")


def weekly_report_get(week: str) -> WeeklyReport:
    return WeeklyReport.objects.get(week=week)


DATE_KEYS = ("received", "due", "period", "on", "submitted", "decided")


def _with_dates(item: dict) -> dict:
    out = dict(item)
    for key in DATE_KEYS:
        value = out.get(key)
        if isinstance(value, str) and value:
            with contextlib.suppress(ValueError):
                out[key] = datetime.date.fromisoformat(value)
    return out


def weekly_report_sections(report: WeeklyReport) -> list[dict]:
    """The report's sections for display: key, title, rows (dates as dates), count."""
    data = report.data or {}
    return [
        {
            "key": key,
            "title": title,
            "rows": [_with_dates(i) for i in data.get(key, [])],
            "count": len(data.get(key, [])),
        }
        for key, title in SECTIONS
    ]


def weekly_report_as_of(report: WeeklyReport) -> datetime.date:
    """The day overdue items were judged against: the Monday after the week."""
    return report.period_end + datetime.timedelta(days=1)


def weekly_report_problem_count(report: WeeklyReport) -> int:
    """Items that need top management's attention (resource requests are not problems)."""
    counts = (report.data or {}).get("counts", {})
    return sum(counts.get(key, 0) for key, _title in SECTIONS[:5])


def top_management_recipients() -> list:
    """Active accounts of top management with an e-mail address: who receives the report."""
    return list(
        User.objects.filter(is_active=True, groups__name=Role.TOP_MANAGEMENT.value)
        .exclude(email="")
        .order_by("last_name", "first_name", "username")
        .distinct()
    )
