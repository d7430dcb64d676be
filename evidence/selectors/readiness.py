"""The readiness score and the gap finder: for every ISO requirement item, evidenced, weak or missing, and why.

The base is the evidence the mapping finds for each item in the evidence period (the last
CLAUSE5_READINESS_PERIOD_MONTHS months, `evidence.selectors.clauses.evidence_counts`): an item with
none is missing. Rule checks then look at what an auditor looks at beyond "is there a record":
a recent management review with every 9.3.2 input, top management at the quality meetings, the
policy acknowledged, every 5.3 item assigned and acknowledged, objectives measured on schedule and
discussed, complaints and employee feedback answered in time, resource decisions, overdue actions.
A rule finding downgrades an item to weak or missing, with the reason in words and figures and
links to the records or pages where it is fixed.

Scores: evidenced 1, weak 0.5, missing 0, as a percentage per clause and over every item.

Every rule runs a fixed number of queries whatever the number of records: the whole report costs
the same on an empty database and on years of data (pinned in the tests). The report is the same
for every reader: it describes the organisation, not what one role may open.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from evidence.selectors.clauses import evidence_counts
from leadership.models import Person
from leadership.models.positions import CLAUSE_53_ITEMS
from leadership.models.resources import ResourceRequest
from leadership.roles import Role
from leadership.selectors.commitment import commitment_coverage
from leadership.selectors.customers import customer_feedback_overdue
from leadership.selectors.feedback import employee_feedback_overdue
from leadership.selectors.policy import policy_coverage_figures, policy_version_published
from leadership.selectors.positions import responsibility_matrix
from objectives import health
from objectives.models import Measurement, Objective
from objectives.models.measurements import period_label
from qms.iso import CLAUSES, REQUIREMENTS
from reviews.models.actions import Action
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting
from reviews.selectors.management_reviews import input_has_content, management_review_overdue
from reviews.selectors.meetings import add_months, local_day_start

EVIDENCED, WEAK, MISSING = "evidenced", "weak", "missing"
STATUSES = (EVIDENCED, WEAK, MISSING)
STATUS_LABELS = {EVIDENCED: "Evidenced", WEAK: "Weak", MISSING: "Missing"}
SCORE = {EVIDENCED: 1.0, WEAK: 0.5, MISSING: 0.0}
_RANK = {EVIDENCED: 0, WEAK: 1, MISSING: 2}

HELD = (Meeting.Status.HELD, Meeting.Status.SIGNED)
INPUT_ITEMS = tuple(ReviewInput.Item.values)

# Where an overdue action shows as a gap: the item its source is evidence of.
ACTION_SOURCE_ITEMS = {
    Action.Source.MEETING_DECISION: "5.1.1.i",
    Action.Source.CUSTOMER_FEEDBACK: "5.1.2.c",
    Action.Source.EMPLOYEE_FEEDBACK: "5.1.1.h",
    Action.Source.OBJECTIVE: "5.1.1.g",
    Action.Source.RISK: "5.1.1.d",
    Action.Source.AUDIT_FINDING: "5.1.1.i",
}
# Actions from management review outputs show on the 9.3.3 item of their output.
OUTPUT_ITEMS = Decision.OUTPUT_REQUIREMENT_IDS


# Thresholds ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """The settings the rules read, with their defaults (the page shows them)."""

    period_months: int
    acknowledgement_pct: int
    attendance_months: int
    min_meetings_attended: int
    review_max_age_months: int
    overdue_action_days: int
    discussion_months: int
    resource_decision_months: int
    measurement_months: int


def thresholds() -> Thresholds:
    def setting(name: str, default: int) -> int:
        return int(getattr(settings, f"CLAUSE5_READINESS_{name}", default))

    return Thresholds(
        period_months=setting("PERIOD_MONTHS", 12),
        acknowledgement_pct=setting("ACKNOWLEDGEMENT_PCT", 90),
        attendance_months=setting("ATTENDANCE_MONTHS", 6),
        min_meetings_attended=setting("MIN_MEETINGS_ATTENDED", 4),
        review_max_age_months=setting("REVIEW_MAX_AGE_MONTHS", 12),
        overdue_action_days=setting("OVERDUE_ACTION_DAYS", 30),
        discussion_months=setting("DISCUSSION_MONTHS", 3),
        resource_decision_months=setting("RESOURCE_DECISION_MONTHS", 12),
        measurement_months=setting("MEASUREMENT_MONTHS", 12),
    )


# The report -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """Where a gap is fixed: a record or a page."""

    label: str
    url: str


@dataclass(frozen=True)
class Finding:
    """What one rule found about one item: its verdict, the reason in words, where to fix it."""

    rule: str
    status: str
    reason: str
    links: tuple[Link, ...] = ()


@dataclass
class Item:
    """One requirement item with its evidence count, the rules' findings and the resulting status."""

    id: str
    clause: str
    text: str
    expected_evidence: str
    evidence_count: int = 0
    findings: list[Finding] = field(default_factory=list)
    # Context shown with the item that does not change its status.
    notes: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        worst = EVIDENCED
        for finding in self.findings:
            if _RANK[finding.status] > _RANK[worst]:
                worst = finding.status
        return worst

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_gap(self) -> bool:
        return self.status != EVIDENCED

    @property
    def reasons(self) -> list[str]:
        return [f.reason for f in self.findings]

    @property
    def links(self) -> list[Link]:
        seen, links = set(), []
        for finding in self.findings:
            for link in finding.links:
                if link.url not in seen:
                    seen.add(link.url)
                    links.append(link)
        return links

    @property
    def url(self) -> str:
        return reverse("evidence:clause-detail", args=[self.id])


def _percent(items: list[Item]) -> int:
    if not items:
        return 0
    return round(100 * sum(SCORE[i.status] for i in items) / len(items))


class _StatusCounts:
    """How many of `self.items` are evidenced, weak or missing (a clause's items, or all of them)."""

    items: list

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def evidenced(self) -> int:
        return self.count(EVIDENCED)

    @property
    def weak(self) -> int:
        return self.count(WEAK)

    @property
    def missing(self) -> int:
        return self.count(MISSING)


@dataclass
class ClauseScore(_StatusCounts):
    """A clause of the standard (5.1.1, 5.2, ...) with its items and their score."""

    clause: str
    title: str
    items: list[Item]

    @property
    def score(self) -> int:
        return _percent(self.items)


@dataclass
class Report(_StatusCounts):
    today: datetime.date
    period_start: datetime.date
    period_end: datetime.date
    thresholds: Thresholds
    items: list[Item]
    clauses: list[ClauseScore]

    @property
    def overall(self) -> int:
        return _percent(self.items)

    @property
    def gaps(self) -> list[Item]:
        return readiness_gaps(self)


def readiness_gaps(report: Report) -> list[Item]:
    """Every weak or missing item with its reasons and links: missing first, then weak, in catalogue order.

    This is the gap list the readiness page filters to and the evidence pack prints.
    """
    order = {item.id: n for n, item in enumerate(report.items)}
    gaps = [item for item in report.items if item.is_gap]
    return sorted(gaps, key=lambda i: (-_RANK[i.status], order[i.id]))


# Helpers ----------------------------------------------------------------------------------------------


def _months_before(today: datetime.date, months: int) -> datetime.date:
    """The day `months` months before `today`, plus one: a window of `months` months up to today, both ends in."""
    return add_months(today, -months) + datetime.timedelta(days=1)


def _day(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return f"{value.day} {value:%b %Y}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


def _link(label: str, name: str, *args) -> Link:
    return Link(label, _url(name, *args))


def _record_link(record, label: str | None = None) -> Link:
    return Link(label or str(record), record.get_absolute_url())


class _Findings:
    """The findings of every rule, by item id."""

    def __init__(self):
        self.by_item: dict[str, list[Finding]] = defaultdict(list)
        self.notes: dict[str, list[str]] = defaultdict(list)

    def add(self, item_id: str, rule: str, status: str, reason: str, *links: Link) -> None:
        self.by_item[item_id].append(Finding(rule, status, reason, tuple(links)))

    def note(self, item_id: str, text: str) -> None:
        self.notes[item_id].append(text)


# Rules ------------------------------------------------------------------------------------------------


def _rule_management_review(found: _Findings, today: datetime.date, limits: Thresholds) -> None:
    """A management review held in the last N months and signed, with every 9.3.2 input presented (9.3.1, 9.3.2)."""
    since = local_day_start(_months_before(today, limits.review_max_age_months))
    reviews = list(
        ManagementReview.objects.filter(
            status__in=[ManagementReview.Status.HELD, ManagementReview.Status.SIGNED], meeting__held_at__gte=since
        )
        .select_related("meeting")
        .prefetch_related("inputs")
        .order_by("-meeting__held_at", "-pk")
    )
    signed = [r for r in reviews if r.status == ManagementReview.Status.SIGNED]
    months = _plural(limits.review_max_age_months, "month")
    list_link = _link("Management reviews", "reviews:management-review-list")
    if not signed:
        held = reviews[0] if reviews else None
        last = (
            ManagementReview.objects.filter(status=ManagementReview.Status.SIGNED)
            .select_related("meeting")
            .order_by("-meeting__held_at")
            .first()
        )
        before = f" (the last one signed was held on {_day(last.meeting.held_at)})" if last else ""
        if held is not None:
            found.add(
                "9.3.1",
                "management-review",
                WEAK,
                f"The management review {held.meeting.reference} was held on {_day(held.meeting.held_at)} but "
                f"is not signed; no review was signed in the last {months}{before}.",
                _record_link(held, f"Sign {held.meeting.reference}"),
            )
        else:
            found.add(
                "9.3.1",
                "management-review",
                MISSING,
                f"No management review was held in the last {months}{before}.",
                _link("Prepare a management review", "reviews:management-review-create"),
                list_link,
            )
        for item in INPUT_ITEMS:
            found.add(
                item,
                "management-review",
                MISSING,
                f"Not presented to a signed management review in the last {months}.",
                list_link,
            )
        return
    review = signed[0]
    inputs = {i.item: i for i in review.inputs.all()}
    for item in INPUT_ITEMS:
        section = inputs.get(item)
        if section is None or not input_has_content(section):
            found.add(
                item,
                "management-review",
                WEAK,
                f"The last signed management review, {review.meeting.reference} of "
                f"{_day(review.meeting.held_at)}, has no data, entries or note for input {item} "
                f"({ReviewInput.Item(item).label}).",
                Link(f"{review.meeting.reference}, input {item}", f"{review.get_absolute_url()}#input-{item}"),
            )


def _note_review_in_preparation(found: _Findings, today: datetime.date) -> None:
    """Context on 9.3.1: a review being prepared, with how many inputs are ready (not a gap while not due)."""
    upcoming = (
        ManagementReview.objects.filter(status=ManagementReview.Status.PREPARING)
        .select_related("meeting")
        .prefetch_related("inputs")
        .order_by("meeting__planned_start", "pk")
        .first()
    )
    if upcoming is None:
        return
    ready = sum(1 for i in upcoming.inputs.all() if input_has_content(i))
    planned = upcoming.meeting.planned_start
    when = f" for {_day(planned)}" if planned else ""
    found.note(
        "9.3.1",
        f"Next review {upcoming.meeting.reference} planned{when} is being prepared: "
        f"{ready} of {len(INPUT_ITEMS)} inputs addressed so far.",
    )


def _rule_review_schedule(found: _Findings, today: datetime.date) -> None:
    """A scheduled management review that is overdue (9.3.1: planned intervals)."""
    for row in management_review_overdue(today):
        found.add(
            "9.3.1",
            "review-schedule",
            WEAK,
            f"The schedule “{row['type'].name}” called for a management review on {_day(row['due'])}; "
            f"none held since ({_plural(row['days_overdue'], 'day')} overdue).",
            _link("Prepare a management review", "reviews:management-review-create"),
            _record_link(row["type"], f"Schedule “{row['type'].name}”"),
        )


def _rule_attendance(found: _Findings, today: datetime.date, limits: Thresholds) -> None:
    """Every top manager attended at least N of the quality meetings held in the last months (5.1.1)."""
    since = local_day_start(_months_before(today, limits.attendance_months))
    end = local_day_start(today + datetime.timedelta(days=1))
    window = Q(held_at__gte=since, held_at__lt=end, status__in=HELD, type__is_quality_meeting=True)
    held = Meeting.objects.filter(window).count()
    months = _plural(limits.attendance_months, "month")
    if held == 0:
        found.add(
            "5.1.1.c",
            "attendance",
            WEAK,
            f"No quality meeting was held in the last {months}.",
            _link("Meeting schedules", "reviews:meeting-type-list"),
        )
        return
    managers = list(
        Person.objects.filter(user__is_active=True, user__groups__name=Role.TOP_MANAGEMENT)
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name")
    )
    attended = dict(
        Attendee.objects.filter(
            person__in=[m.pk for m in managers],
            status=Attendee.Status.PRESENT,
            meeting__held_at__gte=since,
            meeting__held_at__lt=end,
            meeting__status__in=HELD,
            meeting__type__is_quality_meeting=True,
        )
        .order_by()
        .values("person")
        .annotate(n=Count("meeting", distinct=True))
        .values_list("person", "n")
    )
    required = min(limits.min_meetings_attended, held)
    for manager in managers:
        n = attended.get(manager.pk, 0)
        if n < required:
            found.add(
                "5.1.1.a",
                "attendance",
                WEAK,
                f"{manager.full_name} (top management) attended {n} of the {held} quality meetings held in the "
                f"last {months}; at least {required} expected.",
                _link("Top management attendance", "reviews:attendance"),
                _record_link(manager, manager.full_name),
            )


def _rule_policy(found: _Findings, limits: Thresholds) -> None:
    """The published policy acknowledged by at least X% of the staff in scope (5.2.2.b)."""
    version = policy_version_published()
    if version is None:
        for item in ("5.2.2.b", "5.2.2.c"):
            found.add(
                item,
                "policy",
                MISSING,
                "No quality policy version is published.",
                _link("Quality policy versions", "leadership:policy-version-list"),
            )
        return
    figures = policy_coverage_figures(version)
    acknowledged, total = figures["acknowledged"], figures["total"]
    if total and acknowledged * 100 < limits.acknowledgement_pct * total:
        found.add(
            "5.2.2.b",
            "policy",
            WEAK,
            f"Policy version {version.number} acknowledged by {acknowledged} of {total} staff "
            f"({figures['percent']}%), below {limits.acknowledgement_pct}%.",
            _link("Acknowledgement coverage", "leadership:policy-coverage"),
        )


def _rule_positions(found: _Findings, today: datetime.date) -> None:
    """Every 5.3 item assigned to a position that someone holds, and acknowledged by its holders (5.3)."""
    matrix = responsibility_matrix(day=today)
    matrix_link = _link("Responsibility matrix", "leadership:responsibility-matrix")
    for gap in matrix["gaps"]:
        if gap["kind"] == "unassigned":
            found.add(
                gap["requirement_id"],
                "positions",
                MISSING,
                f"{gap['requirement_id']} is assigned to no position.",
                matrix_link,
                _link("Positions", "leadership:position-list"),
            )
        elif gap["kind"] == "unheld":
            found.add(gap["requirement_id"], "positions", MISSING, gap["message"], matrix_link)
    for row in matrix["rows"]:
        position = row["position"]
        items = [i for i in CLAUSE_53_ITEMS if i in position.requirement_ids]
        for holder in row["not_acknowledged"]:
            for item in items:
                found.add(
                    item,
                    "positions",
                    WEAK,
                    f"{holder.person.full_name} has not acknowledged revision {position.revision} of the "
                    f"{position.title} description, which carries {item}.",
                    _record_link(position, f"{position.title}, revision {position.revision}"),
                )


def _rule_customer_feedback(found: _Findings, today: datetime.date) -> None:
    """Customer complaints and other feedback responded to and closed within their targets (5.1.2.c)."""
    for feedback in customer_feedback_overdue(today=today).order_by("received_date", "pk"):
        what = feedback.get_type_display().lower()
        if feedback.severity:
            what = f"{feedback.get_severity_display().lower()}-severity {what}"
        if feedback.overdue_response:
            late = f"awaits management's response, due on {_day(feedback.response_due_on)}"
        else:
            late = f"is still open after its closing target of {_day(feedback.close_due_on)}"
        found.add(
            "5.1.2.c",
            "customer-feedback",
            WEAK,
            f"{feedback.reference}, a {what} from {feedback.customer.name} received on "
            f"{_day(feedback.received_date)}, {late}.",
            _record_link(feedback, feedback.reference),
        )


def _rule_employee_feedback(found: _Findings, now: datetime.datetime) -> None:
    """Employee quality feedback answered within the answer limit (5.1.1.h)."""
    for feedback in employee_feedback_overdue(now):
        found.add(
            "5.1.1.h",
            "employee-feedback",
            WEAK,
            f"{feedback.reference} “{feedback.title}”, submitted on {_day(feedback.submitted_at)}, "
            f"is still unanswered ({feedback.get_status_display().lower()}).",
            _record_link(feedback, feedback.reference),
        )


def _rule_resources(found: _Findings, today: datetime.date, limits: Thresholds) -> None:
    """Top management decided on resource requests in the last N months (5.1.1.e)."""
    since = local_day_start(_months_before(today, limits.resource_decision_months))
    decided = ResourceRequest.objects.filter(
        status__in=[ResourceRequest.Status.APPROVED, ResourceRequest.Status.REJECTED], decided_at__gte=since
    ).aggregate(n=Count("pk"), last=Max("decided_at"))
    if not decided["n"]:
        months = _plural(limits.resource_decision_months, "month")
        found.add(
            "5.1.1.e",
            "resources",
            WEAK,
            f"No resource request was decided by top management in the last {months}.",
            _link("Resource requests", "leadership:resource-request-list"),
        )


def _rule_overdue_actions(found: _Findings, today: datetime.date, limits: Thresholds) -> None:
    """No open action more than N days past its due date; each shows on the item its source evidences."""
    cutoff = today - datetime.timedelta(days=limits.overdue_action_days)
    actions = (
        Action.objects.filter(status__in=Action.OPEN_STATUSES, due_date__lt=cutoff)
        .select_related("owner__user", "decision")
        .order_by("due_date", "pk")
    )
    for action in actions:
        if action.source == Action.Source.REVIEW_OUTPUT:
            item = OUTPUT_ITEMS.get(action.decision.output_category if action.decision else "", "5.1.1.i")
        else:
            item = ACTION_SOURCE_ITEMS.get(action.source, "5.1.1.i")
        days = (today - action.due_date).days
        found.add(
            item,
            "overdue-actions",
            WEAK,
            f"Action {action.reference} “{action.title}” ({action.get_source_display().lower()}, owner "
            f"{action.owner.full_name}) is {days} days past its due date of {_day(action.due_date)}, "
            f"more than {limits.overdue_action_days}.",
            _record_link(action, action.reference),
        )


def _rule_objectives(found: _Findings, today: datetime.date, limits: Thresholds) -> None:
    """Every active objective measured on schedule (6.2.1.e) and discussed in a meeting recently (5.1.1.g)."""
    objectives = list(Objective.objects.filter(status=Objective.Status.ACTIVE).order_by("reference"))
    if not objectives:
        return
    ids = [o.pk for o in objectives]
    measure_since = _months_before(today, limits.measurement_months)
    measured = defaultdict(set)
    for objective_id, period in Measurement.objects.filter(
        objective_id__in=ids, period_start__gte=measure_since - datetime.timedelta(days=92)
    ).values_list("objective_id", "period_start"):
        measured[objective_id].add(period)
    for objective in objectives:
        if not objective.frequency:
            continue
        first = objective.start_date or (timezone.localdate(objective.activated_at) if objective.activated_at else None)
        if first is None:
            continue
        due = health.due_periods(max(first, measure_since), today, objective.frequency, last_day=objective.due_date)
        missing = [p for p in due if p not in measured[objective.pk]]
        if missing:
            labels = ", ".join(period_label(objective.frequency, p) for p in missing[-3:])
            more = f" and {len(missing) - 3} earlier" if len(missing) > 3 else ""
            found.add(
                "6.2.1.e",
                "measurements",
                WEAK,
                f"{objective.reference} “{objective.title}” has no value for {_plural(len(missing), 'period')} "
                f"due: {labels}{more}.",
                _record_link(objective, objective.reference),
                _link("Enter measurements", "objectives:measurement-entry"),
            )

    # Discussion: an agenda item on the objective, or the objective status of a management review.
    since = local_day_start(_months_before(today, limits.discussion_months))
    end = local_day_start(today + datetime.timedelta(days=1))
    discussed = set(
        AgendaItem.objects.filter(
            meeting__status__in=HELD, meeting__held_at__gte=since, meeting__held_at__lt=end, objectives__in=ids
        ).values_list("objectives", flat=True)
    )
    for data in ReviewInput.objects.filter(
        item=ReviewInput.Item.OBJECTIVES,
        review__status__in=[ManagementReview.Status.HELD, ManagementReview.Status.SIGNED],
        review__meeting__held_at__gte=since,
        review__meeting__held_at__lt=end,
    ).values_list("data", flat=True):
        for row in (data or {}).get("objectives", []) or []:
            if isinstance(row, dict) and isinstance(row.get("id"), int):
                discussed.add(row["id"])
    months = _plural(limits.discussion_months, "month")
    for objective in objectives:
        started = objective.activated_at and timezone.localdate(objective.activated_at) > since.date()
        if objective.pk in discussed or started:
            continue
        found.add(
            "5.1.1.g",
            "objective-discussion",
            WEAK,
            f"{objective.reference} “{objective.title}” was not discussed in any meeting in the last {months} "
            "(no agenda item on it, not in a management review's objective status).",
            _record_link(objective, objective.reference),
            _link("Meetings", "reviews:meeting-list"),
        )
    off_track = [o.reference for o in objectives if o.health == Objective.Health.OFF_TRACK]
    to_miss = [o.reference for o in objectives if o.projected_to_miss]
    if off_track or to_miss:
        parts = []
        if off_track:
            parts.append(f"off track: {', '.join(off_track)}")
        if to_miss:
            parts.append(f"projected to miss: {', '.join(to_miss)}")
        found.note(
            "5.1.1.g",
            f"Objectives {'; '.join(parts)}. Not a gap by itself: the evidence is that they are monitored, "
            "discussed and acted on.",
        )


def _rule_commitment(found: _Findings, today: datetime.date, limits: Thresholds) -> None:
    """Each 5.1.1 item named by at least one entry of the leadership commitment log in the period."""
    coverage = commitment_coverage(months=limits.period_months, today=today)
    for requirement in coverage["missing"]:
        found.add(
            requirement.id,
            "commitment",
            WEAK,
            f"No entry of the leadership commitment log names {requirement.id} in the last "
            f"{_plural(limits.period_months, 'month')}.",
            _link("Record a commitment entry", "leadership:commitment-create"),
        )


# The report -------------------------------------------------------------------------------------------


def readiness_report(today: datetime.date | None = None) -> Report:
    """Status, reasons and links of every requirement item of the catalogue, per clause and overall scores."""
    today = today or timezone.localdate()
    limits = thresholds()
    period_start = _months_before(today, limits.period_months)
    counts = evidence_counts(period_start=period_start, period_end=today, clause_ids=[r.id for r in REQUIREMENTS])

    found = _Findings()
    _rule_management_review(found, today, limits)
    _rule_review_schedule(found, today)
    _note_review_in_preparation(found, today)
    _rule_attendance(found, today, limits)
    _rule_policy(found, limits)
    _rule_positions(found, today)
    _rule_customer_feedback(found, today)
    now = timezone.now() if today == timezone.localdate() else local_day_start(today + datetime.timedelta(days=1))
    _rule_employee_feedback(found, now)
    _rule_resources(found, today, limits)
    _rule_overdue_actions(found, today, limits)
    _rule_objectives(found, today, limits)
    _rule_commitment(found, today, limits)

    items = []
    for requirement in REQUIREMENTS:
        item = Item(
            id=requirement.id,
            clause=requirement.clause,
            text=requirement.text,
            expected_evidence=requirement.evidence,
            evidence_count=counts.get(requirement.id, 0),
            notes=found.notes.get(requirement.id, []),
        )
        rule_findings = found.by_item.get(requirement.id, [])
        if not item.evidence_count and not any(f.status == MISSING for f in rule_findings):
            item.findings.append(
                Finding(
                    "evidence",
                    MISSING,
                    f"No evidence from {_day(period_start)} to {_day(today)}: expected {requirement.evidence}.",
                    (Link(f"Evidence of {requirement.id}", item.url),),
                )
            )
        item.findings.extend(rule_findings)
        items.append(item)
    clauses = [
        ClauseScore(clause, title, [i for i in items if i.clause == clause]) for clause, title in CLAUSES.items()
    ]
    return Report(
        today=today,
        period_start=period_start,
        period_end=today,
        thresholds=limits,
        items=items,
        clauses=[c for c in clauses if c.items],
    )


def readiness_panel(request) -> dict:
    """The home dashboard panel: overall score, how many gaps, the first five with their reasons and links.

    The report reads every kind of record; the home page is the most visited page, so the panel
    is kept for CLAUSE5_READINESS_PANEL_CACHE_SECONDS (one minute by default) and says when it
    was checked. The readiness page itself always checks afresh.
    """
    today = timezone.localdate()
    key = f"evidence:readiness-panel:{today.isoformat()}"
    panel = cache.get(key)
    if panel is None:
        report = readiness_report(today)
        gaps = readiness_gaps(report)
        panel = {"report": report, "gaps_count": len(gaps), "top_gaps": gaps[:5], "checked_at": timezone.now()}
        cache.set(key, panel, settings.CLAUSE5_READINESS_PANEL_CACHE_SECONDS)
    return panel


__all__ = [
    "EVIDENCED",
    "MISSING",
    "WEAK",
    "ClauseScore",
    "Finding",
    "Item",
    "Link",
    "Report",
    "Thresholds",
    "readiness_gaps",
    "readiness_panel",
    "readiness_report",
    "thresholds",
]
