"""Reads of management reviews (9.3): the pages' querysets, the compiled 9.3.2 inputs, readiness, signed content.

`management_review_compile_data` gathers each 9.3.2 input from the rest of Clause5 for the
review's period, through the owning apps' selectors where they exist. What it returns is plain
JSON (numbers, strings, ISO dates, lists and dicts): it is stored on `ReviewInput.data` and
frozen when the review is held, so later changes elsewhere never alter what the review saw.
Every section carries `records`, the number of records it is based on: an empty section
(`records == 0`) needs entries or a note before the review can be signed.

Records are taken as they stood at the end of the compile day (`today`) wherever their own dates
tell: records made later are left out, and a completion, verification, closure, decision or
measurement dated later does not count yet. In normal use `today` is the day of compiling, so
this changes nothing; it keeps a review compiled for a past day consistent with that day.
"""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from leadership.models.customers import CustomerFeedback
from leadership.models.feedback import EmployeeFeedback
from leadership.models.resources import ResourceRequest, default_currency
from leadership.roles import Role
from leadership.selectors.customers import customer_figures
from leadership.selectors.resources import quality_budget_summary, resource_request_list
from objectives import health
from objectives.models import Measurement, Objective, TargetRevision
from objectives.models.measurements import period_label
from objectives.models.objectives import format_number, format_target, format_value
from objectives.models.risks import SCORE_BANDS, Risk, score_band
from objectives.selectors.objectives import targets_in_force
from qms.signatures import canonical_text, signature_matches
from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import Decision, Meeting, MeetingType
from reviews.selectors.meetings import schedule_occurrence
from reviews.selectors.minutes import meeting_sign_problems

Item = ReviewInput.Item

# How many values of an objective the c.2 trend keeps.
TREND_VALUES = 6
# Long texts copied into the frozen data are cut here: the record itself keeps the whole text.
EXCERPT = 300
# The score from which a risk counts as high (the lowest score of the "high" band).
HIGH_SCORE = min(low for key, _label, low, _high in SCORE_BANDS if key == "high")

# The short label of each input ("c.2") and the template that renders its compiled data.
SHORT_LABELS = {item: item.value.removeprefix("9.3.2.") for item in Item}
SECTION_TEMPLATES = {
    Item.ACTIONS: "actions",
    Item.ISSUES: "manual",
    Item.CUSTOMERS: "customers",
    Item.OBJECTIVES: "objectives",
    Item.PROCESSES: "manual",
    Item.NONCONFORMITIES: "nonconformities",
    Item.MEASUREMENTS: "measurements",
    Item.AUDITS: "audits",
    Item.PROVIDERS: "manual",
    Item.RESOURCES: "resources",
    Item.RISKS: "risks",
    Item.IMPROVEMENT: "improvement",
}
CONCLUSIONS = (
    ("suitability", "suitability"),
    ("adequacy", "adequacy"),
    ("effectiveness", "effectiveness"),
)


# Pages --------------------------------------------------------------------------------------------


def management_review_list() -> QuerySet[ManagementReview]:
    """Reviews, newest meeting first, with meeting, type and chair loaded and how many 9.3.3 outputs each has."""
    outputs = Decision.objects.filter(meeting=OuterRef("meeting")).exclude(output_category="")
    return (
        ManagementReview.objects.select_related("meeting__type", "meeting__chair__user")
        .annotate(
            outputs_count=Coalesce(
                Subquery(outputs.order_by().values("meeting").annotate(n=Count("pk")).values("n")[:1]), 0
            )
        )
        .order_by("-meeting__planned_start", "-pk")
    )


def management_review_get(pk) -> ManagementReview:
    """One review for its page: meeting, chair, signature and its twelve inputs (in 9.3.2 order)."""
    return (
        ManagementReview.objects.select_related(
            "meeting__type", "meeting__chair__user", "meeting__minute_taker__user", "signature"
        )
        .prefetch_related(Prefetch("inputs", queryset=ReviewInput.objects.select_related("updated_by")))
        .get(pk=pk)
    )


def management_review_outputs(review: ManagementReview) -> list[Decision]:
    """The review's 9.3.3 outputs (decisions with a category), each with owner, actions and linked records."""
    return list(
        Decision.objects.filter(meeting_id=review.meeting_id)
        .exclude(output_category="")
        .select_related("owner__user")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner__user").order_by("due_date", "pk")),
            "resource_requests",
            Prefetch("target_revisions", queryset=TargetRevision.objects.select_related("objective")),
        )
        .order_by("number")
    )


def outputs_by_category(outputs: list[Decision]) -> list[dict]:
    """Outputs grouped as 9.3.3 a), b) and c), every group present even when empty."""
    groups = []
    for category in Decision.OutputCategory:
        groups.append(
            {
                "category": category.value,
                "label": category.label,
                "requirement_id": Decision.OUTPUT_REQUIREMENT_IDS[category],
                "outputs": [o for o in outputs if o.output_category == category],
            }
        )
    return groups


def input_has_content(review_input: ReviewInput) -> bool:
    """An input is addressed by compiled data with records behind it, manual entries, or a written note."""
    data = review_input.data or {}
    return bool(data.get("records")) or bool(review_input.entries) or bool((review_input.note or "").strip())


def management_review_readiness(
    review: ManagementReview, *, inputs: list[ReviewInput] | None = None, outputs: list[Decision] | None = None
) -> dict:
    """What signing still needs: every input addressed, the three conclusions, outputs each with an owner.

    `problems` lists everything missing in words; `summary` is the one-line checklist shown on
    the page ("11 of 12 inputs · conclusions missing · 1 output without owner").
    """
    inputs = list(review.inputs.all()) if inputs is None else inputs
    outputs = management_review_outputs(review) if outputs is None else outputs
    by_item = {i.item: i for i in inputs}
    missing_inputs = [item for item in Item if item not in by_item or not input_has_content(by_item[item])]
    missing_conclusions = [label for field, label in CONCLUSIONS if not (getattr(review, field) or "").strip()]
    without_owner = [o for o in outputs if o.owner_id is None]
    meeting = review.meeting
    meeting_not_started = meeting.status == Meeting.Status.PLANNED
    # The review signs its minutes too: what the minutes still need is part of the list.
    minutes_problems = meeting_sign_problems(meeting) if meeting.status == Meeting.Status.HELD else []

    if len(missing_inputs) == 1:
        problems = [f"input {missing_inputs[0].label} has no data, entries or note"]
    elif missing_inputs:
        labels = _join([SHORT_LABELS[item] + ")" for item in missing_inputs])
        problems = [f"inputs {labels} have no data, entries or note"]
    else:
        problems = []
    if len(missing_conclusions) == 1:
        problems.append(f"the conclusion on {missing_conclusions[0]} is missing")
    elif missing_conclusions:
        problems.append(f"the conclusions on {_join(missing_conclusions)} are missing")
    if not outputs:
        problems.append("no 9.3.3 output is recorded")
    if without_owner:
        problems.append(f"output {_join([o.label for o in without_owner])} has no owner")
    if meeting_not_started:
        problems.append(f"the meeting {meeting.reference} has not been started (start it on its minutes page)")
    problems.extend(f"in the minutes: {p[:1].lower()}{p[1:].rstrip('.')}" for p in minutes_problems)

    parts = [f"{len(Item) - len(missing_inputs)} of {len(Item)} inputs"]
    parts.append("conclusions missing" if missing_conclusions else "conclusions written")
    if not outputs:
        parts.append("no outputs")
    else:
        parts.append(f"{len(outputs)} output{'s' if len(outputs) != 1 else ''}")
    if without_owner:
        parts.append(f"{len(without_owner)} output{'s' if len(without_owner) != 1 else ''} without owner")
    if meeting_not_started:
        parts.append("meeting not started")
    if minutes_problems:
        parts.append("minutes incomplete")
    return {
        "ready": not problems,
        "problems": problems,
        "summary": " · ".join(parts),
        "inputs_total": len(Item),
        "inputs_done": len(Item) - len(missing_inputs),
        "missing_inputs": [{"item": item.value, "label": item.label} for item in missing_inputs],
        "missing_conclusions": missing_conclusions,
        "outputs": len(outputs),
        "outputs_without_owner": [o.label for o in without_owner],
        "meeting_not_started": meeting_not_started,
        "minutes_problems": minutes_problems,
    }


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def management_review_signed_content(review: ManagementReview, *, outputs: list[Decision] | None = None) -> str:
    """The canonical text a signature covers: period, every input (data, entries, note), conclusions, outputs.

    `outputs` (the review's output decisions, by number) when the caller has loaded them already.
    """
    inputs = sorted(review.inputs.all(), key=lambda i: i.item)
    if outputs is None:
        outputs = Decision.objects.filter(meeting_id=review.meeting_id).exclude(output_category="").order_by("number")
    return canonical_text(
        {
            "record": "reviews.managementreview",
            "meeting": review.meeting.reference,
            "period": [review.period_start.isoformat(), review.period_end.isoformat()],
            "inputs": [{"item": i.item, "data": i.data, "entries": i.entries, "note": i.note} for i in inputs],
            "conclusions": {
                "suitability": review.suitability,
                "adequacy": review.adequacy,
                "effectiveness": review.effectiveness,
                "strategic_alignment": review.strategic_alignment,
            },
            "outputs": [
                {"number": d.number, "category": d.output_category, "text": d.text, "owner": d.owner_id}
                for d in outputs
            ],
        }
    )


def management_review_signature_intact(review: ManagementReview) -> bool | None:
    """Whether the review still matches what its chair signed (None when not signed)."""
    if review.signature is None:
        return None
    return signature_matches(review.signature, management_review_signed_content(review))


# Overdue reviews ----------------------------------------------------------------------------------


def scheduled_date(meeting_type: MeetingType, n: int) -> datetime.date:
    """The local date of the schedule's n-th occurrence (0 is the first; -1 the one before it)."""
    return timezone.localdate(schedule_occurrence(meeting_type, n))


def management_review_overdue(today: datetime.date | None = None) -> list[dict]:
    """Scheduled management reviews not held in time: one row per active, scheduled management-review type.

    The schedule calls for a review on each occurrence date; it is overdue once
    CLAUSE5_REVIEW_OVERDUE_GRACE_DAYS have passed after that date with no review of the type held
    (inputs frozen) since halfway between the previous occurrence and this one, so that a review
    held a little early still counts.
    """
    today = today or timezone.localdate()
    grace = int(getattr(settings, "CLAUSE5_REVIEW_OVERDUE_GRACE_DAYS", 14))
    types = MeetingType.objects.filter(
        category=MeetingType.Category.MANAGEMENT_REVIEW, is_active=True, first_occurrence__isnull=False
    ).exclude(frequency=MeetingType.Frequency.NONE)
    rows = []
    for meeting_type in types:
        latest = today - datetime.timedelta(days=grace + 1)
        if scheduled_date(meeting_type, 0) > latest:
            continue
        n = 0
        while scheduled_date(meeting_type, n + 1) <= latest:
            n += 1
        due = scheduled_date(meeting_type, n)
        previous = scheduled_date(meeting_type, n - 1)
        window_start = previous + (due - previous) / 2
        since = timezone.make_aware(datetime.datetime.combine(window_start, datetime.time.min))
        held = ManagementReview.objects.filter(
            meeting__type=meeting_type,
            status__in=[ManagementReview.Status.HELD, ManagementReview.Status.SIGNED],
        ).filter(Q(meeting__held_at__gte=since) | Q(meeting__held_at__isnull=True, frozen_at__gte=since))
        if not held.exists():
            rows.append({"type": meeting_type, "due": due, "days_overdue": (today - due).days})
    return rows


def overdue_recipients():
    """Top management and the management representative: the people a missing review goes to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.TOP_MANAGEMENT, Role.MANAGEMENT_REPRESENTATIVE])
        .distinct()
        .order_by("pk")
    )


def management_review_panel(request) -> dict:
    """The dashboard panel: the next review being prepared, the last one signed, and any overdue."""
    upcoming = (
        management_review_list()
        .filter(status__in=[ManagementReview.Status.PREPARING, ManagementReview.Status.HELD])
        .order_by("meeting__planned_start", "pk")
        .first()
    )
    last_signed = management_review_list().filter(status=ManagementReview.Status.SIGNED).order_by("-signed_at").first()
    readiness = management_review_readiness(upcoming) if upcoming else None
    return {
        "upcoming": upcoming,
        "readiness": readiness,
        "last_signed": last_signed,
        "overdue": management_review_overdue(),
    }


# Compiling the 9.3.2 inputs -----------------------------------------------------------------------


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _local_day(moment: datetime.datetime | None) -> str | None:
    return timezone.localdate(moment).isoformat() if moment else None


def _money(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _name(person) -> str:
    return person.full_name if person is not None else ""


def _bounds(review: ManagementReview) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as aware datetimes: from the first day's start to the day after the last."""
    start = timezone.make_aware(datetime.datetime.combine(review.period_start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(review.period_end + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def _cutoff(today: datetime.date) -> datetime.datetime:
    """The first moment after the compile day: what happened from then on is not seen yet."""
    return timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))


def _before(moment: datetime.datetime | None, cutoff: datetime.datetime) -> datetime.datetime | None:
    return moment if moment is not None and moment < cutoff else None


def _action_row(action: Action, today: datetime.date) -> dict:
    cutoff = _cutoff(today)
    completed, verified = _before(action.completed_at, cutoff), _before(action.verified_at, cutoff)
    status = action.status
    if status == Action.Status.VERIFIED and verified is None:
        status = Action.Status.DONE if completed else Action.Status.IN_PROGRESS
    elif status == Action.Status.DONE and completed is None:
        status = Action.Status.IN_PROGRESS
    return {
        "id": action.pk,
        "reference": action.reference,
        "title": action.title,
        "owner": _name(action.owner),
        "due": _iso(action.due_date),
        "status": status,
        "status_label": Action.Status(status).label,
        "overdue": status in Action.OPEN_STATUSES and action.due_date < today,
        "completed": _local_day(completed),
        "verified": _local_day(verified),
    }


def _actions_of(actions, today: datetime.date) -> list[dict]:
    """Rows of the actions raised by the compile day."""
    cutoff = _cutoff(today)
    return [_action_row(a, today) for a in actions if a.created_at < cutoff]


def _action_counts(rows: list[dict]) -> dict:
    return {
        "total": len(rows),
        "open": sum(1 for r in rows if r["status"] in Action.OPEN_STATUSES),
        "done": sum(1 for r in rows if r["status"] == Action.Status.DONE),
        "verified": sum(1 for r in rows if r["status"] == Action.Status.VERIFIED),
        "overdue": sum(1 for r in rows if r["overdue"]),
    }


def _previous_actions(review: ManagementReview, today: datetime.date) -> dict:
    """a) Actions from earlier reviews: all but those verified before this period began (already reported)."""
    start, _end = _bounds(review)
    earlier = ManagementReview.objects.filter(meeting__planned_start__lt=review.meeting.planned_start).exclude(
        pk=review.pk
    )
    actions = (
        Action.objects.filter(decision__meeting__management_review__in=earlier, created_at__lt=_cutoff(today))
        .exclude(status=Action.Status.VERIFIED, verified_at__lt=start)
        .select_related("owner__user", "decision__meeting")
        .order_by("decision__meeting__planned_start", "decision__number", "due_date", "pk")
    )
    rows = []
    for action in actions:
        row = _action_row(action, today)
        row["review"] = action.decision.meeting.reference
        row["decision"] = action.decision.label
        rows.append(row)
    reviews = list(
        earlier.order_by("-meeting__planned_start").values_list("meeting__reference", "meeting__planned_start")[:3]
    )
    return {
        "records": len(rows),
        "summary": _action_counts(rows),
        "by_status": [
            {"status": s.value, "label": s.label, "count": sum(1 for r in rows if r["status"] == s)}
            for s in Action.Status
        ],
        "previous_reviews": [{"reference": ref, "date": _local_day(when)} for ref, when in reviews],
        "actions": rows,
    }


def _months_in(review: ManagementReview) -> int:
    start, end = review.period_start, review.period_end
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _customers(review: ManagementReview, today: datetime.date) -> dict:
    """c.1) Complaints, compliments and surveys per month, response-time performance, what is still open."""
    figures = customer_figures(months=_months_in(review), today=review.period_end)
    in_period = CustomerFeedback.objects.filter(
        received_date__gte=review.period_start, received_date__lte=review.period_end
    )
    Type = CustomerFeedback.Type
    per_month = {
        (row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]): row
        for row in in_period.annotate(month=TruncMonth("received_date"))
        .values("month")
        .annotate(
            compliments=Count("pk", filter=Q(type=Type.COMPLIMENT)),
            returns=Count("pk", filter=Q(type=Type.RETURN)),
        )
        .order_by("month")
    }
    by_type = {row["type"]: row["n"] for row in in_period.order_by().values("type").annotate(n=Count("pk"))}
    not_closed = Q(closed_on__isnull=True) | Q(closed_on__gt=today)
    not_answered = Q(responded_on__isnull=True) | Q(responded_on__gt=today)
    state = in_period.aggregate(
        open=Count("pk", filter=not_closed),
        overdue_response=Count("pk", filter=not_closed & not_answered & Q(response_due_on__lt=today)),
        overdue_close=Count("pk", filter=not_closed & Q(close_due_on__lt=today)),
    )
    top_customers = [
        {"customer": row["customer__name"], "complaints": row["n"]}
        for row in in_period.filter(type__in=CustomerFeedback.SEVERITY_TYPES)
        .values("customer__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "customer__name")[:5]
    ]
    months = []
    for row in figures["rows"]:
        extra = per_month.get(row["month"], {})
        months.append(
            {
                "month": row["month"].isoformat(),
                "label": f"{row['month']:%b %Y}",
                "complaints": row["complaints"],
                "compliments": extra.get("compliments", 0),
                "returns": extra.get("returns", 0),
                "responses": row["responses"],
                "average_score": row["average_score"],
                "orders": row["orders"],
                "complaints_per_1000_orders": row["complaints_per_1000_orders"],
                "on_time": row["on_time"],
                "late": row["late"],
                "pending": row["pending"],
                "compliance": row["compliance"],
            }
        )
    overall = figures["overall"]
    return {
        "records": sum(by_type.values()),
        "summary": {
            "received": sum(by_type.values()),
            "by_type": [{"type": t.value, "label": t.label, "count": by_type.get(t.value, 0)} for t in Type],
            "complaints": overall["complaints"],
            "compliments": by_type.get(Type.COMPLIMENT, 0),
            "survey_responses": overall["responses"],
            "average_score": overall["average_score"],
            "complaints_per_1000_orders": overall["complaints_per_1000_orders"],
            "responses_on_time": overall["on_time"],
            "responses_late": overall["late"],
            "response_compliance": overall["compliance"],
            "open": state["open"],
            "overdue_response": state["overdue_response"],
            "overdue_close": state["overdue_close"],
        },
        "months": months,
        "top_customers": top_customers,
    }


def _objective_start(objective: Objective) -> datetime.date | None:
    if objective.start_date is not None:
        return objective.start_date
    return timezone.localdate(objective.activated_at) if objective.activated_at else None


def _objectives_in_period(review: ManagementReview) -> list[Objective]:
    """Objectives pursued in the period: active ones started by its end, and those closed during it."""
    start, _end = _bounds(review)
    return list(
        Objective.objects.filter(
            Q(status=Objective.Status.ACTIVE)
            | Q(status__in=[Objective.Status.ACHIEVED, Objective.Status.MISSED], closed_at__gte=start)
        )
        .exclude(start_date__gt=review.period_end)
        .exclude(frequency="")
        .select_related("owner__user", "department")
        .prefetch_related(
            Prefetch("revisions", queryset=TargetRevision.objects.filter(status=TargetRevision.Status.APPROVED))
        )
        .order_by("reference")
    )


def _objectives_and_measurements(review: ManagementReview, today: datetime.date) -> tuple[dict, dict]:
    """c.2) The objective status table and c.5) the measurement summary, from one load of the data.

    Health is judged as of the end of the period, once its last measurement was due
    (CLAUSE5_MEASUREMENT_GRACE_DAYS after it), or as of today if that comes first.
    """
    grace = health.grace_days()
    as_of = min(today, review.period_end + datetime.timedelta(days=grace + 1))
    objectives = _objectives_in_period(review)
    values: dict[int, list[tuple]] = defaultdict(list)
    for objective_id, period, value, created_at in (
        Measurement.objects.filter(
            objective__in=objectives, period_start__lte=review.period_end, created_at__lt=_cutoff(today)
        )
        .order_by("objective_id", "period_start")
        .values_list("objective_id", "period_start", "value", "created_at")
    ):
        values[objective_id].append((period, value, created_at))

    status_rows, measurement_rows = [], []
    for objective in objectives:
        points = values.get(objective.pk, [])
        unit, frequency = objective.unit, objective.frequency
        timeline = health.timeline_from_steps(targets_in_force(objective), health.targets_of(objective))
        assessment = health.assess(
            direction=objective.direction,
            frequency=frequency,
            start_date=_objective_start(objective),
            timeline=timeline,
            measurements=[(p, v) for p, v, _c in points],
            today=as_of,
            grace=grace,
        )
        in_force = health.targets_on(timeline, review.period_end)
        in_period = [(p, v, c) for p, v, c in points if p >= health.period_start(review.period_start, frequency)]
        judged = [health.health_of(v, objective.direction, health.targets_on(timeline, p)) for p, v, _c in in_period]
        status_rows.append(
            {
                "id": objective.pk,
                "reference": objective.reference,
                "title": objective.title,
                "status": objective.status
                if _before(objective.closed_at, _cutoff(today)) or objective.status == Objective.Status.ACTIVE
                else Objective.Status.ACTIVE,
                "department": str(objective.department) if objective.department else "Company-wide",
                "owner": _name(objective.owner),
                "metric": objective.metric_name,
                "unit": unit,
                "direction": objective.direction,
                "target": format_target(objective.direction, in_force.target, in_force.target_upper, unit),
                "due_date": _iso(objective.due_date),
                "latest": format_value(assessment.latest_value, unit),
                "latest_period": period_label(frequency, assessment.latest_period) if assessment.latest_period else "",
                "health": assessment.health,
                "health_label": Objective.Health(assessment.health).label,
                "trend": [
                    {"period": p.isoformat(), "label": period_label(frequency, p), "value": format_number(v)}
                    for p, v, _c in points[-TREND_VALUES:]
                ],
                "forecast": format_value(
                    assessment.forecast_value.quantize(Decimal("0.01"))
                    if assessment.forecast_value is not None
                    else None,
                    unit,
                ),
                "projected_to_miss": assessment.projected_to_miss,
                "periods_measured": len(in_period),
                "periods_on_target": sum(1 for h in judged if h == Objective.Health.ON_TRACK),
            }
        )

        first = max(_objective_start(objective) or review.period_start, review.period_start)
        last = min(objective.due_date, review.period_end) if objective.due_date else review.period_end
        expected = health.due_periods(first, as_of, frequency, last_day=last, grace=grace)
        measured = {p: c for p, _v, c in points}
        missing = [p for p in expected if p not in measured]
        on_time = sum(
            1
            for p in expected
            if p in measured and timezone.localdate(measured[p]) <= health.measurement_due_date(p, frequency, grace)
        )
        measurement_rows.append(
            {
                "id": objective.pk,
                "reference": objective.reference,
                "title": objective.title,
                "frequency": frequency,
                "expected": len(expected),
                "measured": len(expected) - len(missing),
                "on_time": on_time,
                "missing": [period_label(frequency, p) for p in missing],
                "last_entered": _local_day(max((c for _p, _v, c in points), default=None)),
            }
        )

    counts = Counter(row["health"] for row in status_rows)
    objectives_data = {
        "records": len(status_rows),
        "as_of": as_of.isoformat(),
        "summary": {
            "total": len(status_rows),
            **{h.value: counts.get(h.value, 0) for h in Objective.Health},
            "projected_to_miss": sum(1 for r in status_rows if r["projected_to_miss"]),
        },
        "objectives": status_rows,
    }
    expected_total = sum(r["expected"] for r in measurement_rows)
    measured_total = sum(r["measured"] for r in measurement_rows)
    on_time_total = sum(r["on_time"] for r in measurement_rows)
    measurements_data = {
        "records": sum(len(values.get(o.pk, [])) for o in objectives),
        "as_of": as_of.isoformat(),
        "summary": {
            "objectives": len(measurement_rows),
            "expected": expected_total,
            "measured": measured_total,
            "missing": expected_total - measured_total,
            "on_time": on_time_total,
            "complete_pct": round(measured_total * 100 / expected_total, 1) if expected_total else None,
            "on_time_pct": round(on_time_total * 100 / measured_total, 1) if measured_total else None,
        },
        "objectives": measurement_rows,
    }
    return objectives_data, measurements_data


def _audits_in_period(review: ManagementReview) -> QuerySet[InternalAudit]:
    """Audits carried out in the period, and audits planned in it that were not (still planned or cancelled)."""
    return InternalAudit.objects.filter(
        Q(audit_date__gte=review.period_start, audit_date__lte=review.period_end)
        | Q(audit_date__isnull=True, planned_date__gte=review.period_start, planned_date__lte=review.period_end)
    )


def _finding_row(finding: AuditFinding, audit: InternalAudit, today: datetime.date) -> dict:
    return {
        "id": finding.pk,
        "audit_id": audit.pk,
        "label": f"{audit.reference}-F{finding.number}",
        "kind": finding.kind,
        "kind_label": finding.get_kind_display(),
        "department": str(finding.department) if finding.department else "",
        "clause": finding.clause,
        "description": _excerpt(finding.description),
        "closed": _local_day(_before(finding.closed_at, _cutoff(today))),
    }


def _feedback_status(feedback: CustomerFeedback, today: datetime.date) -> str:
    """Where customer feedback stood at the end of `today`, read from the dates of its steps."""
    Status = CustomerFeedback.Status
    for status, day in (
        (Status.CLOSED, feedback.closed_on),
        (Status.RESPONDED, feedback.responded_on),
        (Status.ASSESSED, feedback.assessed_on),
    ):
        if day is not None and day <= today:
            return status
    return Status.NEW


def _nonconformities(review: ManagementReview, today: datetime.date) -> dict:
    """c.4) Customer complaints and returns, audit nonconformities, and the actions on them."""
    cutoff = _cutoff(today)
    complaints = list(
        CustomerFeedback.objects.filter(
            type__in=CustomerFeedback.SEVERITY_TYPES,
            received_date__gte=review.period_start,
            received_date__lte=review.period_end,
        )
        .select_related("customer")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related("owner__user")))
        .order_by("received_date", "pk")
    )
    findings = list(
        AuditFinding.objects.filter(kind__in=AuditFinding.NONCONFORMITIES)
        .filter(
            Q(audit__in=_audits_in_period(review))
            | ((Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff)) & Q(audit__audit_date__lt=review.period_start))
        )
        .select_related("audit", "department")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related("owner__user")))
        .order_by("audit__audit_date", "audit__reference", "number")
    )
    complaint_rows = []
    for feedback in complaints:
        responded = feedback.responded_on if feedback.responded_on and feedback.responded_on <= today else None
        closed = feedback.closed_on if feedback.closed_on and feedback.closed_on <= today else None
        due = feedback.response_due_on
        late = bool(due and ((responded and responded > due) or (responded is None and closed is None and due < today)))
        status = _feedback_status(feedback, today)
        complaint_rows.append(
            {
                "id": feedback.pk,
                "reference": feedback.reference,
                "type": feedback.type,
                "type_label": feedback.get_type_display(),
                "customer": feedback.customer.name,
                "product": feedback.product,
                "severity": feedback.severity,
                "severity_label": feedback.get_severity_display(),
                "received": _iso(feedback.received_date),
                "status": status,
                "status_label": CustomerFeedback.Status(status).label,
                "responded": _iso(responded),
                "response_late": late,
                "closed": _iso(closed),
                "actions": _actions_of(feedback.actions.all(), today),
            }
        )
    finding_rows = []
    for finding in findings:
        row = _finding_row(finding, finding.audit, today)
        row["actions"] = _actions_of(finding.actions.all(), today)
        finding_rows.append(row)
    actions = [a for row in (*complaint_rows, *finding_rows) for a in row["actions"]]
    return {
        "records": len(complaint_rows) + len(finding_rows),
        "summary": {
            "complaints": sum(1 for r in complaint_rows if r["type"] == CustomerFeedback.Type.COMPLAINT),
            "returns": sum(1 for r in complaint_rows if r["type"] == CustomerFeedback.Type.RETURN),
            "complaints_open": sum(1 for r in complaint_rows if r["status"] != CustomerFeedback.Status.CLOSED),
            "responses_late": sum(1 for r in complaint_rows if r["response_late"]),
            "major": sum(1 for r in finding_rows if r["kind"] == AuditFinding.Kind.MAJOR),
            "minor": sum(1 for r in finding_rows if r["kind"] == AuditFinding.Kind.MINOR),
            "nonconformities_open": sum(1 for r in finding_rows if not r["closed"]),
            "actions": _action_counts(actions),
        },
        "complaints": complaint_rows,
        "findings": finding_rows,
    }


def _audits(review: ManagementReview, today: datetime.date) -> dict:
    """c.6) Internal audits of the period with their findings by kind."""
    audits = list(
        _audits_in_period(review)
        .select_related("lead_auditor__user")
        .prefetch_related(
            "departments", Prefetch("findings", queryset=AuditFinding.objects.select_related("department"))
        )
        .order_by("planned_date", "reference")
    )
    kinds = AuditFinding.Kind
    rows = []
    for audit in audits:
        findings = list(audit.findings.all())
        counts = Counter(f.kind for f in findings)
        held = audit.audit_date if audit.audit_date and audit.audit_date <= today else None
        status = audit.status
        if status == InternalAudit.Status.COMPLETED and held is None:
            status = InternalAudit.Status.PLANNED
        rows.append(
            {
                "id": audit.pk,
                "reference": audit.reference,
                "title": audit.title,
                "status": status,
                "status_label": InternalAudit.Status(status).label,
                "planned": _iso(audit.planned_date),
                "held": _iso(held),
                "overdue": status == InternalAudit.Status.PLANNED and audit.planned_date < today,
                "lead_auditor": _name(audit.lead_auditor),
                "departments": [str(d) for d in audit.departments.all()],
                "summary": _excerpt(audit.summary),
                "findings_by_kind": {k.value: counts.get(k.value, 0) for k in kinds},
                "findings": [_finding_row(f, audit, today) for f in findings],
            }
        )
    totals = Counter(f["kind"] for row in rows for f in row["findings"])
    return {
        "records": len(rows),
        "summary": {
            "audits": len(rows),
            "completed": sum(1 for r in rows if r["status"] == InternalAudit.Status.COMPLETED),
            "planned": sum(1 for r in rows if r["status"] == InternalAudit.Status.PLANNED),
            "cancelled": sum(1 for r in rows if r["status"] == InternalAudit.Status.CANCELLED),
            "overdue": sum(1 for r in rows if r["overdue"]),
            "findings": sum(totals.values()),
        },
        "by_kind": [{"kind": k.value, "label": k.label, "count": totals.get(k.value, 0)} for k in kinds],
        "audits": rows,
    }


def _resources(review: ManagementReview, today: datetime.date) -> dict:
    """d) Resource requests submitted or decided in the period, and the quality budget of its years."""
    start, end = _bounds(review)
    cutoff = _cutoff(today)
    requests = list(
        resource_request_list()
        .filter(Q(created_at__gte=start, created_at__lt=end) | Q(decided_at__gte=start, decided_at__lt=end))
        .filter(created_at__lt=cutoff)
        .order_by("created_at", "pk")
    )
    for r in requests:
        # A decision taken after the compile day was still awaited on it.
        if r.decided_at is not None and r.decided_at >= cutoff:
            r.status, r.decided_at, r.decided_by, r.decision_reason = ResourceRequest.Status.SUBMITTED, None, None, ""
    currency = default_currency()
    rows = [
        {
            "id": r.pk,
            "reference": r.reference,
            "title": r.title,
            "category": r.category,
            "category_label": r.get_category_display(),
            "amount": _money(r.amount),
            "currency": r.currency,
            "requester": _name(r.requester),
            "department": str(r.department) if r.department else "",
            "submitted": _local_day(r.created_at),
            "status": r.status,
            "status_label": r.get_status_display(),
            "decided": _local_day(r.decided_at),
            "decided_by": (r.decided_by.get_full_name() or r.decided_by.get_username()) if r.decided_by else "",
            "reason": _excerpt(r.decision_reason),
            "spent": _money(r.spent) if r.status == ResourceRequest.Status.APPROVED else None,
        }
        for r in requests
    ]
    by_status = []
    for status in ResourceRequest.Status:
        mine = [r for r in requests if r.status == status]
        by_status.append(
            {
                "status": status.value,
                "label": status.label,
                "count": len(mine),
                "amount": _money(sum((r.amount for r in mine if r.currency == currency), Decimal("0"))),
            }
        )
    budgets = []
    for year in range(review.period_start.year, review.period_end.year + 1):
        summary = quality_budget_summary(year)
        budgets.append(
            {
                "year": year,
                "currency": summary["currency"],
                "categories": [
                    {
                        "category": c["category"],
                        "label": c["label"],
                        "currency": c["currency"],
                        "planned": _money(c["planned"]),
                        "approved": _money(c["approved"]),
                        "pending": _money(c["pending"]),
                        "spent": _money(c["spent"]),
                        "remaining": _money(c["remaining"]),
                    }
                    for c in summary["categories"]
                ],
                "total": {
                    key: _money(summary["total"][key])
                    for key in ("planned", "approved", "pending", "spent", "remaining")
                },
            }
        )
    return {
        "records": len(rows),
        "currency": currency,
        "summary": {"requests": len(rows), "by_status": by_status},
        "requests": rows,
        "budgets": budgets,
    }


def _risk_row(risk: Risk, today: datetime.date) -> dict:
    return {
        "id": risk.pk,
        "reference": risk.reference,
        "title": risk.title,
        "type": risk.type,
        "source_label": risk.get_source_display(),
        "score": risk.score,
        "band": score_band(risk.score),
        "status": risk.status,
        "status_label": risk.get_status_display(),
        "owner": _name(risk.owner),
        "next_review": _iso(risk.next_review_date),
        "review_overdue": risk.status != Risk.Status.CLOSED and risk.next_review_date < today,
        "last_reviewed": _iso(
            risk.last_reviewed_on if risk.last_reviewed_on and risk.last_reviewed_on <= today else None
        ),
    }


def _risks(review: ManagementReview, today: datetime.date) -> dict:
    """e) The register's state, its high and overdue entries, and the actions on risks: open ones and those
    completed since the period began."""
    start, _end = _bounds(review)
    cutoff = _cutoff(today)
    # The register as it stands: a risk keeps no dated history of its status, so it is not read "as of".
    register = Risk.objects.all()
    unclosed = ~Q(status=Risk.Status.CLOSED)
    figures = register.aggregate(
        total=Count("pk"),
        **{s.value: Count("pk", filter=Q(type=Risk.Type.RISK, status=s)) for s in Risk.Status},
        opportunities=Count("pk", filter=unclosed & Q(type=Risk.Type.OPPORTUNITY)),
        high=Count("pk", filter=unclosed & Q(type=Risk.Type.RISK, score__gte=HIGH_SCORE)),
        review_overdue=Count("pk", filter=unclosed & Q(next_review_date__lt=today)),
        reviewed_in_period=Count(
            "pk", filter=Q(last_reviewed_on__gte=review.period_start, last_reviewed_on__lte=review.period_end)
        ),
    )
    risks = [
        _risk_row(r, today)
        for r in register.filter(unclosed, type=Risk.Type.RISK)
        .select_related("owner__user")
        .order_by("-score", "reference")
    ]
    actions = []
    for action in (
        Action.objects.filter(risk__isnull=False, created_at__lt=cutoff)
        .filter(Q(status__in=Action.OPEN_STATUSES) | Q(completed_at__gte=start))
        .select_related("owner__user", "risk")
        .order_by("due_date", "pk")
    ):
        row = _action_row(action, today)
        row["risk"] = action.risk.reference
        actions.append(row)
    return {
        "records": figures["total"],
        "summary": {
            "risks_by_status": [{"status": s.value, "label": s.label, "count": figures[s.value]} for s in Risk.Status],
            "open_opportunities": figures["opportunities"],
            "high": figures["high"],
            "high_from": HIGH_SCORE,
            "review_overdue": figures["review_overdue"],
            "reviewed_in_period": figures["reviewed_in_period"],
            "actions": _action_counts(actions),
        },
        "risks": risks,
        "actions": actions,
    }


def _idea_status(idea: EmployeeFeedback, cutoff: datetime.datetime) -> str:
    """Where an employee's idea stood at `cutoff`, read from the times of its steps."""
    Status = EmployeeFeedback.Status
    for status, moment in (
        (Status.CLOSED, idea.closed_at),
        (Status.ANSWERED, idea.answered_at),
        (Status.ACKNOWLEDGED, idea.acknowledged_at),
    ):
        if _before(moment, cutoff):
            return status
    return Status.NEW


def _improvement(review: ManagementReview, today: datetime.date) -> dict:
    """f) Opportunities in the register, OFI audit findings, improvement outputs of earlier reviews, employee ideas.

    Employee feedback may be anonymous: only its reference, title, department and state are
    kept, never who sent it.
    """
    start, end = _bounds(review)
    cutoff = _cutoff(today)
    opportunities = [
        _risk_row(r, today)
        for r in Risk.objects.filter(type=Risk.Type.OPPORTUNITY)
        .exclude(status=Risk.Status.CLOSED)
        .select_related("owner__user")
        .order_by("-score", "reference")
    ]
    ofis = [
        _finding_row(f, f.audit, today)
        for f in AuditFinding.objects.filter(kind=AuditFinding.Kind.OPPORTUNITY, audit__in=_audits_in_period(review))
        .select_related("audit", "department")
        .order_by("audit__reference", "number")
    ]
    # Improvement outputs of the reviews held in the period, and of the last one before it.
    earlier = Meeting.objects.filter(
        management_review__isnull=False, planned_start__lt=review.meeting.planned_start
    ).exclude(pk=review.meeting_id)
    before = earlier.filter(planned_start__lt=start).order_by("-planned_start").values_list("pk", flat=True)[:1]
    meetings = [*earlier.filter(planned_start__gte=start).values_list("pk", flat=True), *before]
    decisions = []
    for decision in (
        Decision.objects.filter(output_category=Decision.OutputCategory.IMPROVEMENT, meeting_id__in=meetings)
        .select_related("meeting", "owner__user")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related("owner__user")))
        .order_by("meeting__planned_start", "number")
    ):
        decisions.append(
            {
                "id": decision.pk,
                "review": decision.meeting.reference,
                "label": decision.label,
                "text": _excerpt(decision.text),
                "owner": _name(decision.owner),
                "actions": _actions_of(decision.actions.all(), today),
            }
        )
    ideas = list(
        EmployeeFeedback.objects.filter(kind=EmployeeFeedback.Kind.IDEA, submitted_at__gte=start, submitted_at__lt=end)
        .select_related("department")
        .order_by("submitted_at", "pk")
    )
    for idea in ideas:
        idea.status_then = _idea_status(idea, cutoff)
    idea_status = Counter(i.status_then for i in ideas)
    return {
        "records": len(opportunities) + len(ofis) + len(decisions) + len(ideas),
        "summary": {
            "opportunities": len(opportunities),
            "audit_opportunities": len(ofis),
            "improvement_decisions": len(decisions),
            "ideas": len(ideas),
            "ideas_by_status": [
                {"status": s.value, "label": s.label, "count": idea_status.get(s.value, 0)}
                for s in EmployeeFeedback.Status
            ],
        },
        "opportunities": opportunities,
        "audit_opportunities": ofis,
        "decisions": decisions,
        "ideas": [
            {
                "id": i.pk,
                "reference": i.reference,
                "title": i.title,
                "department": i.department.name if i.department else "",
                "submitted": _local_day(i.submitted_at),
                "status": i.status_then,
                "status_label": EmployeeFeedback.Status(i.status_then).label,
            }
            for i in ideas
        ],
    }


def management_review_compile_data(review: ManagementReview, *, today: datetime.date | None = None) -> dict[str, dict]:
    """Every 9.3.2 input's data for the review's period, as plain JSON, keyed by item.

    The sections typed in by hand (b, c.3, c.7) get no data. The number of queries depends on the
    number of sections and budget years, not on the amount of data.
    """
    today = today or timezone.localdate()
    objectives_data, measurements_data = _objectives_and_measurements(review, today)
    period = {"start": review.period_start.isoformat(), "end": review.period_end.isoformat()}
    data = {
        Item.ACTIONS: _previous_actions(review, today),
        Item.CUSTOMERS: _customers(review, today),
        Item.OBJECTIVES: objectives_data,
        Item.NONCONFORMITIES: _nonconformities(review, today),
        Item.MEASUREMENTS: measurements_data,
        Item.AUDITS: _audits(review, today),
        Item.RESOURCES: _resources(review, today),
        Item.RISKS: _risks(review, today),
        Item.IMPROVEMENT: _improvement(review, today),
    }
    for section in data.values():
        section["period"] = period
        section["compiled_on"] = today.isoformat()
    for item in ReviewInput.MANUAL_ITEMS:
        data[item] = {}
    return {str(item): value for item, value in data.items()}
