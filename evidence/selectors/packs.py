"""Reads of evidence packs: the pack list, and everything a pack shows (`pack_data`) as plain JSON-able data.

`pack_data` gathers the evidence of a period in a number of queries that depends on the size of
the clause catalogue and the number of kinds of record, never on the number of records: every
list is one query (with its prefetches), and the integrity of signed minutes and reviews is
checked from one batched read of the history instead of one per record.
"""

import datetime
import re
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.utils import timezone
from django.utils.text import slugify

from evidence.mapping import KINDS, NEVER
from evidence.models import Attachment, EvidencePack
from evidence.models.clauses import Clause, EvidenceTag
from leadership.models import Department
from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import CustomerFeedback
from leadership.models.policy import PolicyVersion
from leadership.models.positions import ManagementRepresentativeAppointment
from leadership.models.resources import ResourceRequest
from leadership.selectors.customers import customer_figures
from leadership.selectors.policy import policy_coverage
from leadership.selectors.positions import appointment_list, responsibility_matrix
from leadership.selectors.resources import resource_request_signature_intact
from objectives.charts import objective_chart_svg
from objectives.models import Measurement, Objective
from objectives.models.measurements import period_label
from objectives.models.objectives import ActionPlanStep, TargetRevision, format_target, format_value
from objectives.selectors.measurements import target_steps
from objectives.selectors.objectives import target_revision_signature_intact
from qms.iso import CLAUSES
from qms.signatures import canonical_text, signature_matches
from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting
from reviews.selectors.management_reviews import management_review_signed_content
from reviews.selectors.minutes import meeting_signed_content

_SERIES_ID = re.compile(r'id="(activate-serie-\d+)"')
# How many records each requirement item lists as examples; the count covers all of them.
ITEM_EXAMPLES = 5
# The audit trail excerpt: the newest changes of the period, at most this many.
AUDIT_TRAIL_LIMIT = 400
# The apps whose history the audit trail reads.
TRAIL_APPS = ("leadership", "objectives", "reviews", "evidence")
# Clause 9.2 (internal audit results) is reported inside the management review section: its
# results are the 9.3.2.c.6 input.
SECTION_ORDER = ("5.1.1", "5.1.2", "5.2", "5.3", "6.2", "9.3")
SECTION_TITLES = {
    "5.1.1": "Leadership and commitment",
    "5.1.2": "Customer focus",
    "5.2": "Quality policy",
    "5.3": "Organizational roles, responsibilities and authorities",
    "6.2": "Quality objectives and planning to achieve them",
    "9.3": "Management review, meetings and internal audit results",
}


# The pack list -------------------------------------------------------------------------------------


def evidence_pack_list() -> QuerySet[EvidencePack]:
    """Packs, newest first, with who asked and the departments chosen."""
    return EvidencePack.objects.select_related("requested_by").prefetch_related(
        Prefetch("departments", queryset=Department.objects.order_by("name"))
    )


def evidence_pack_list_for(user) -> QuerySet[EvidencePack]:
    """The packs `user` may see: everyone's for those who may download any pack, otherwise their own."""
    packs = evidence_pack_list()
    if user.has_perm("evidence.download_evidencepack"):
        return packs
    return packs.filter(requested_by=user)


def evidence_pack_get(pk) -> EvidencePack:
    return evidence_pack_list().get(pk=pk)


def evidence_pack_download_name(pack: EvidencePack) -> str:
    return f"{pack.reference}.pdf"


# Formatting helpers ------------------------------------------------------------------------------


def _at(value: datetime.datetime | None) -> str | None:
    """A moment in the organisation's time zone, ISO 8601 with its UTC offset."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _name(person) -> str:
    return person.full_name if person is not None else ""


def _user_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _signature(signature, intact: bool | None) -> dict | None:
    """A signature as the pack shows it: printed name, title, moment with UTC offset, meaning, integrity."""
    if signature is None:
        return None
    return {
        "meaning": signature.get_meaning_display(),
        "name": signature.signer_name,
        "title": signature.signer_title,
        "signed_at": _at(signature.signed_at),
        "statement": signature.statement,
        "content_sha256": signature.content_sha256,
        "intact": intact,
    }


def local_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start of the first day, start of the day after the last) in the organisation's time zone."""
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return begin, after


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _department_ids(departments) -> list[int] | None:
    """The chosen departments and every department under them (one query), or None for all."""
    roots = [d.pk if isinstance(d, Department) else int(d) for d in departments or ()]
    if not roots:
        return None
    children = defaultdict(list)
    for pk, parent in Department.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    found, todo = set(), list(roots)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, ()))
    return sorted(found)


def _in_departments(queryset, field: str, department_ids: list[int] | None):
    return queryset if department_ids is None else queryset.filter(**{f"{field}__in": department_ids})


# Requirement items and their evidence ---------------------------------------------------------------


def _clause_items(clause_ids, department_ids, start, end) -> list[dict]:
    """Each chosen requirement item with the number of records evidencing it and the newest few.

    One query for the catalogue, one for the hand-made tags, then one per (item, kind that can
    evidence it): the same mapping as the clause pages (`evidence.mapping`).
    """
    clauses = list(Clause.objects.order_by("order"))
    if clause_ids:
        wanted = set(clause_ids)
        clauses = [c for c in clauses if c.pk in wanted]
    tagged = defaultdict(set)
    for clause_id, app_label, model, object_id in EvidenceTag.objects.active().values_list(
        "clause_id", "content_type__app_label", "content_type__model", "object_id"
    ):
        if object_id.isdigit():
            tagged[(f"{app_label}.{model}", clause_id)].add(int(object_id))
    items = []
    for clause in clauses:
        rows, by_kind = [], []
        for kind in KINDS:
            mapped = kind.clause_q(clause.pk)
            ids = tagged.get((kind.key, clause.pk))
            if mapped is None and not ids:
                continue
            condition = mapped if mapped is not None else NEVER
            if ids:
                condition |= Q(pk__in=sorted(ids))
            queryset = kind.in_departments(
                kind.in_period(kind.rows_queryset().filter(condition), start, end), department_ids
            )
            records = list(
                queryset.annotate(evidence_total=Window(Count("pk"))).order_by(F("evidence_date").desc(), "-pk")[
                    :ITEM_EXAMPLES
                ]
            )
            if not records:
                continue
            by_kind.append({"kind": kind.plural, "count": records[0].evidence_total})
            for obj in records:
                row = kind.row(obj, clause.pk, mapped=True)
                rows.append(
                    {
                        "kind": row.kind_label,
                        "title": row.title,
                        "date": _day(row.date),
                        "department": row.department,
                        "status": row.status,
                        "in_force": row.in_force,
                        "tagged": obj.pk in (ids or ()),
                    }
                )
        rows.sort(key=lambda r: r["date"] or "", reverse=True)
        items.append(
            {
                "id": clause.pk,
                "group": clause.group,
                "text": clause.text,
                "expected_evidence": clause.expected_evidence,
                "count": sum(k["count"] for k in by_kind),
                "by_kind": by_kind,
                "examples": rows[:ITEM_EXAMPLES],
            }
        )
    return items


# 5.1.1 Leadership and commitment -------------------------------------------------------------------


def _commitment(start, end, department_ids) -> list[dict]:
    entries = _in_departments(
        CommitmentEntry.objects.filter(date__gte=start, date__lte=end), "person__department", department_ids
    ).select_related("person__user", "recorded_by")
    return [
        {
            "date": _day(e.date),
            "person": _name(e.person),
            "description": e.description,
            "requirement_ids": list(e.requirement_ids or []),
            "source": e.get_source_display(),
        }
        for e in entries.order_by("date", "pk")
    ]


def _resources(begin, after, department_ids) -> list[dict]:
    requests = _in_departments(
        ResourceRequest.objects.filter(
            status__in=[ResourceRequest.Status.APPROVED, ResourceRequest.Status.REJECTED],
            decided_at__gte=begin,
            decided_at__lt=after,
        ),
        "department",
        department_ids,
    ).select_related("requester__user", "department", "decided_by", "decision_signature")
    return [
        {
            "reference": r.reference,
            "title": r.title,
            "category": r.get_category_display(),
            "amount": f"{r.amount:.2f}",
            "currency": r.currency,
            "department": r.department.name if r.department else "",
            "requester": _name(r.requester),
            "status": r.get_status_display(),
            "decided_at": _at(r.decided_at),
            "decided_by": _user_name(r.decided_by),
            "reason": r.decision_reason,
            "signature": _signature(r.decision_signature, resource_request_signature_intact(r)),
        }
        for r in requests.order_by("decided_at", "pk")
    ]


# 5.1.2 Customer focus -------------------------------------------------------------------------------


def _customers(start, end, department_ids) -> dict:
    figures = customer_figures(months=min(_months_between(start, end), 60), today=end)
    complaints = _in_departments(
        CustomerFeedback.objects.filter(
            type=CustomerFeedback.Type.COMPLAINT, received_date__gte=start, received_date__lte=end
        ),
        "department",
        department_ids,
    ).select_related("customer", "department", "responded_by")
    rows = []
    for f in complaints.order_by("received_date", "pk"):
        on_time = None
        if f.responded_on and f.response_due_on:
            on_time = f.responded_on <= f.response_due_on
        rows.append(
            {
                "reference": f.reference,
                "received": _day(f.received_date),
                "customer": f.customer.name if f.customer else "",
                "severity": f.get_severity_display() if f.severity else "",
                "department": f.department.name if f.department else "",
                "status": f.get_status_display(),
                "response_due": _day(f.response_due_on),
                "responded": _day(f.responded_on),
                "responded_by": _user_name(f.responded_by),
                "on_time": on_time,
                "response": f.response,
            }
        )
    return {
        "months": [
            {
                "month": row["month"].strftime("%b %Y"),
                "responses": row["responses"],
                "average_score": row["average_score"],
                "complaints": row["complaints"],
                "orders": row["orders"],
                "complaints_per_1000_orders": row["complaints_per_1000_orders"],
                "on_time": row["on_time"],
                "late": row["late"],
                "pending": row["pending"],
                "compliance": row["compliance"],
            }
            for row in figures["rows"]
        ],
        "overall": dict(figures["overall"].items()),
        "complaints": rows,
    }


# 5.2 Quality policy -----------------------------------------------------------------------------------


def _policy(begin, after, department_ids) -> dict:
    versions = list(
        PolicyVersion.objects.filter(
            status__in=[PolicyVersion.Status.APPROVED, PolicyVersion.Status.PUBLISHED, PolicyVersion.Status.SUPERSEDED],
            approval_signature__signed_at__lt=after,
        )
        .filter(Q(superseded_at__isnull=True) | Q(superseded_at__gte=begin))
        .select_related("author_signature", "approval_signature", "published_by")
        .order_by("number")
    )
    rows = []
    for version in versions:
        content = version.signed_content()
        signatures = [
            _signature(sig, signature_matches(sig, content))
            for sig in (version.author_signature, version.approval_signature)
            if sig is not None
        ]
        rows.append(
            {
                "number": version.number,
                "title": version.title,
                "status": version.get_status_display(),
                "text": version.text,
                "published_at": _at(version.published_at),
                "superseded_at": _at(version.superseded_at),
                "confirmations": [
                    {"requirement_id": c["requirement_id"], "text": c["text"], "confirmed": c["confirmed"]}
                    for c in version.confirmations()
                ],
                "signatures": signatures,
            }
        )
    in_force = next((v for v in reversed(versions) if v.status == PolicyVersion.Status.PUBLISHED), None)
    coverage = None
    if in_force is not None:
        found = policy_coverage(in_force)
        departments = [
            {
                "department": row["department"].name if row["department"] else "No department",
                "acknowledged": row["acknowledged"],
                "total": row["total"],
                "percent": row["percent"],
            }
            for row in found.departments
            if department_ids is None or (row["department"] and row["department"].pk in department_ids)
        ]
        coverage = {
            "version": in_force.number,
            "acknowledged": found.acknowledged,
            "total": found.total,
            "percent": found.percent,
            "departments": departments,
        }
    return {"versions": rows, "coverage": coverage}


# 5.3 Roles ---------------------------------------------------------------------------------------------


def _roles(start, end, department_ids) -> dict:
    matrix = responsibility_matrix(day=end)
    rows = []
    for row in matrix["rows"]:
        position = row["position"]
        if department_ids is not None and position.department_id not in department_ids:
            continue
        rows.append(
            {
                "position": position.title,
                "department": position.department.name if position.department else "",
                "revision": position.revision,
                "holders": [h.person.full_name for h in row["holders"]],
                "not_acknowledged": [h.person.full_name for h in row["not_acknowledged"]],
                "items": [c["id"] for c in row["cells"] if c["assigned"]],
            }
        )
    appointments = appointment_list().filter(
        Q(start_date__lte=end),
        Q(end_date__isnull=True) | Q(end_date__gte=start),
        status__in=[
            ManagementRepresentativeAppointment.Status.SIGNED,
            ManagementRepresentativeAppointment.Status.ENDED,
        ],
    )
    return {
        "columns": [{"id": c["id"], "text": c["text"], "assigned": c["assigned"]} for c in matrix["columns"]],
        "positions": rows,
        "gaps": [g["message"] for g in matrix["gaps"]],
        "appointments": [
            {
                "person": _name(a.person),
                "status": a.get_status_display(),
                "start_date": _day(a.start_date),
                "end_date": _day(a.end_date),
                "powers": a.power_lines,
                "budget_limit": f"{a.budget_limit:.2f}",
                "budget_currency": a.budget_currency,
                "signature": _signature(
                    a.signature,
                    signature_matches(a.signature, canonical_text(a.signed_content())) if a.signature else None,
                ),
            }
            for a in appointments
        ],
    }


# 6.2 Objectives ----------------------------------------------------------------------------------------


def _objectives(start, end, begin, after, department_ids) -> tuple[list[dict], dict[str, str]]:
    """Objectives in force during the period with their measurements, revisions and plans, and their charts."""
    objectives = _in_departments(
        Objective.objects.exclude(status=Objective.Status.DRAFT)
        .filter(Q(start_date__lte=end) | Q(start_date__isnull=True))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=begin)),
        "department",
        department_ids,
    )
    objectives = objectives.select_related("owner__user", "department", "parent").prefetch_related(
        Prefetch(
            "measurements",
            queryset=Measurement.objects.filter(period_start__gte=start, period_start__lte=end).order_by(
                "period_start"
            ),
            to_attr="pack_measurements",
        ),
        Prefetch(
            "revisions",
            queryset=TargetRevision.objects.select_related("decided_by", "signature", "objective").order_by(
                "effective_from", "pk"
            ),
        ),
        Prefetch(
            "plan_steps",
            queryset=ActionPlanStep.objects.select_related("responsible__user").order_by("order", "pk"),
            to_attr="pack_steps",
        ),
    )
    rows, charts = [], {}
    for objective in objectives.order_by("reference"):
        unit = objective.unit
        steps = target_steps(objective)
        svg = str(
            objective_chart_svg(objective, objective.pack_measurements, steps, today=min(end, timezone.localdate()))
        )
        # pygal numbers its series' anchors the same in every chart; one document needs unique ids.
        charts[objective.reference] = _SERIES_ID.sub(f'id="{slugify(objective.reference)}-\\1"', svg)
        revisions = [
            {
                "effective_from": _day(r.effective_from),
                "status": r.get_status_display(),
                "old": format_target(objective.direction, r.old_target, r.old_target_upper, unit),
                "new": format_target(objective.direction, r.new_target, r.new_target_upper, unit),
                "reason": r.reason,
                "decided_by": _user_name(r.decided_by),
                "decided_at": _at(r.decided_at),
                "signature": _signature(r.signature, target_revision_signature_intact(r)),
            }
            for r in objective.revisions.all()
            if r.status != TargetRevision.Status.PROPOSED
            and (r.decided_at is None or begin <= r.decided_at < after or r.effective_from <= end)
        ]
        rows.append(
            {
                "reference": objective.reference,
                "title": objective.title,
                "status": objective.get_status_display(),
                "category": objective.get_category_display(),
                "department": objective.department.name if objective.department else "",
                "owner": _name(objective.owner),
                "parent": objective.parent.reference if objective.parent else "",
                "metric": objective.metric_name,
                "unit": unit,
                "target": format_target(objective.direction, objective.target, objective.target_upper, unit),
                "baseline": format_value(objective.baseline, unit),
                "frequency": objective.get_frequency_display() if objective.frequency else "",
                "start_date": _day(objective.start_date),
                "due_date": _day(objective.due_date),
                "health": objective.get_health_display(),
                "evaluation_method": objective.evaluation_method,
                "measurements": [
                    {
                        "period": _day(m.period_start),
                        "label": period_label(objective.frequency, m.period_start) if objective.frequency else "",
                        "value": format_value(m.value, unit),
                        "corrected": bool(m.correction_reason),
                    }
                    for m in objective.pack_measurements
                ],
                "revisions": revisions,
                "plan": [
                    {
                        "what": s.what,
                        "resources": s.resources,
                        "responsible": _name(s.responsible),
                        "due_date": _day(s.due_date),
                        "status": s.get_status_display(),
                    }
                    for s in objective.pack_steps
                ],
            }
        )
    return rows, charts


# 9.3 Meetings, management reviews, internal audits ------------------------------------------------------


def _action_row(action: Action, today: datetime.date) -> dict:
    is_open = action.status in Action.OPEN_STATUSES
    return {
        "reference": action.reference,
        "title": action.title,
        "owner": _name(action.owner),
        "due_date": _day(action.due_date),
        "status": action.get_status_display(),
        "overdue": bool(is_open and action.due_date and action.due_date < today),
        "verified_at": _at(action.verified_at),
    }


def _actions_as_signed(meetings: list[Meeting]) -> dict[int, list]:
    """{meeting id: the actions of its decisions as they were when the minutes were signed}, in one query.

    The same selection as `reviews.selectors.minutes.meeting_signed_content` (history as of the
    signature), read for every meeting at once.
    """
    by_decision = {d.pk: m.pk for m in meetings for d in m.decisions.all()}
    signed_at = {m.pk: m.signed_at for m in meetings}
    if not by_decision:
        return {}
    latest: dict[tuple[int, int], object] = {}
    history = Action.history.filter(
        decision_id__in=list(by_decision), history_date__lte=max(signed_at.values())
    ).order_by("history_date", "history_id")
    for row in history:
        meeting_id = by_decision[row.decision_id]
        if row.history_date <= signed_at[meeting_id]:
            latest[(meeting_id, row.id)] = row
    found = defaultdict(list)
    for (meeting_id, _action_id), row in latest.items():
        if row.history_type != "-":
            found[meeting_id].append(row)
    return found


def _meetings(begin, after, department_ids, today) -> tuple[list[dict], list[dict]]:
    """Signed meetings of the period in full, and those held whose minutes are not signed (a gap)."""
    base = _in_departments(
        Meeting.objects.filter(held_at__gte=begin, held_at__lt=after), "department", department_ids
    ).select_related("type", "department", "chair__user", "minute_taker__user", "signature")
    signed = list(
        base.filter(status=Meeting.Status.SIGNED)
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("person__user").order_by("pk")),
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order", "pk")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("owner__user")
                .prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=Action.objects.select_related("owner__user").order_by("reference"),
                    )
                )
                .order_by("number"),
            ),
        )
        .order_by("held_at", "pk")
    )
    as_signed = _actions_as_signed(signed)
    rows = []
    for meeting in signed:
        intact = None
        if meeting.signature is not None:
            intact = signature_matches(
                meeting.signature, meeting_signed_content(meeting, signed_actions=as_signed.get(meeting.pk, []))
            )
        attendance = [
            {"name": _name(a.person), "status": a.get_status_display(), "note": a.note} for a in meeting.attendees.all()
        ]
        present = sum(1 for a in meeting.attendees.all() if a.status == Attendee.Status.PRESENT)
        rows.append(
            {
                "reference": meeting.reference,
                "title": meeting.title,
                "type": meeting.type.name,
                "category": meeting.type.get_category_display(),
                "held_at": _at(meeting.held_at),
                "place": meeting.place,
                "department": meeting.department.name if meeting.department else "",
                "chair": _name(meeting.chair),
                "minute_taker": _name(meeting.minute_taker),
                "attendance": attendance,
                "present": present,
                "invited": len(attendance),
                "general_notes": meeting.general_notes,
                "items": [
                    {"order": i.order, "title": i.title, "minutes": i.minutes} for i in meeting.agenda_items.all()
                ],
                "decisions": [
                    {
                        "label": d.label,
                        "text": d.text,
                        "category": d.get_output_category_display() if d.output_category else "",
                        "owner": _name(d.owner),
                        "actions": [_action_row(a, today) for a in d.actions.all()],
                    }
                    for d in meeting.decisions.all()
                ],
                "signature": _signature(meeting.signature, intact),
            }
        )
    unsigned = [
        {
            "reference": m.reference,
            "title": m.title,
            "held_at": _at(m.held_at),
            "status": m.get_status_display(),
            "chair": _name(m.chair),
        }
        for m in base.filter(status=Meeting.Status.HELD).order_by("held_at", "pk")
    ]
    return rows, unsigned


def _input_summary(review_input: ReviewInput) -> list[str]:
    """The figures of an input section in words: its scalar values, and the size of its lists."""
    lines = []
    for key, value in (review_input.data or {}).items():
        label = str(key).replace("_", " ")
        if isinstance(value, (str, int, float, bool)) or value is None:
            if value not in (None, ""):
                lines.append(f"{label}: {value}")
        elif isinstance(value, list):
            lines.append(f"{label}: {len(value)} listed")
        elif isinstance(value, dict):
            flat = [f"{k.replace('_', ' ')} {v}" for k, v in value.items() if isinstance(v, (str, int, float))]
            if flat:
                lines.append(f"{label}: " + ", ".join(flat[:8]))
    for entry in review_input.entries or []:
        if isinstance(entry, dict):
            text = "; ".join(str(v) for v in entry.values() if v not in (None, ""))
        else:
            text = str(entry)
        if text:
            lines.append(text)
    return lines


def _review_input(review_input: ReviewInput, labels: dict) -> dict:
    """A frozen 9.3.2 section: the figures in words (for the attached file) and what the report's
    section template needs to print them as the management review report does."""
    from evidence.selectors.documents import ENTRY_FIELDS, SECTION_TEMPLATES, _entry_value

    fields = ENTRY_FIELDS.get(review_input.item, ())
    return {
        "item": review_input.item,
        "label": labels.get(review_input.item, review_input.item),
        "summary": _input_summary(review_input),
        "note": review_input.note,
        "data": review_input.data or {},
        "template": SECTION_TEMPLATES.get(review_input.item, ""),
        "manual": review_input.item in ReviewInput.MANUAL_ITEMS,
        "columns": [str(f.label) for f in fields],
        "rows": [[_entry_value(f, entry.get(f.name)) for f in fields] for entry in review_input.entries or []],
    }


def _management_reviews(begin, after, department_ids) -> list[dict]:
    reviews = list(
        _in_departments(
            ManagementReview.objects.filter(
                status__in=[ManagementReview.Status.HELD, ManagementReview.Status.SIGNED],
                meeting__held_at__gte=begin,
                meeting__held_at__lt=after,
            ),
            "meeting__department",
            department_ids,
        )
        .select_related("meeting__chair__user", "signature")
        .prefetch_related(Prefetch("inputs", queryset=ReviewInput.objects.order_by("item")))
        .order_by("meeting__held_at", "pk")
    )
    outputs = defaultdict(list)
    for decision in (
        Decision.objects.filter(meeting_id__in=[r.meeting_id for r in reviews])
        .exclude(output_category="")
        .select_related("owner__user")
        .order_by("number")
    ):
        outputs[decision.meeting_id].append(decision)
    labels = dict(ReviewInput.Item.choices)
    rows = []
    for review in reviews:
        review_outputs = outputs.get(review.meeting_id, [])
        intact = None
        if review.signature is not None:
            intact = signature_matches(
                review.signature, management_review_signed_content(review, outputs=review_outputs)
            )
        rows.append(
            {
                "reference": review.meeting.reference,
                "title": review.meeting.title,
                "held_at": _at(review.meeting.held_at),
                "chair": _name(review.meeting.chair),
                "status": review.get_status_display(),
                "period_start": _day(review.period_start),
                "period_end": _day(review.period_end),
                "inputs": [_review_input(i, labels) for i in review.inputs.all()],
                "conclusions": {
                    "suitability": review.suitability,
                    "adequacy": review.adequacy,
                    "effectiveness": review.effectiveness,
                    "strategic_alignment": review.strategic_alignment,
                },
                "outputs": [
                    {
                        "label": d.label,
                        "category": d.get_output_category_display(),
                        "text": d.text,
                        "owner": _name(d.owner),
                    }
                    for d in review_outputs
                ],
                "signature": _signature(review.signature, intact),
            }
        )
    return rows


def _audits(start, end, department_ids, today) -> list[dict]:
    audits = InternalAudit.objects.filter(
        status=InternalAudit.Status.COMPLETED, audit_date__gte=start, audit_date__lte=end
    )
    if department_ids is not None:
        audits = audits.filter(departments__in=department_ids).distinct()
    audits = audits.select_related("lead_auditor__user").prefetch_related(
        Prefetch("departments", queryset=Department.objects.order_by("name")),
        Prefetch(
            "findings",
            queryset=AuditFinding.objects.select_related("department")
            .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related("owner__user")))
            .order_by("number"),
        ),
    )
    return [
        {
            "reference": a.reference,
            "title": a.title,
            "audit_date": _day(a.audit_date),
            "lead_auditor": _name(a.lead_auditor),
            "departments": [d.name for d in a.departments.all()],
            "criteria": a.criteria,
            "summary": a.summary,
            "findings": [
                {
                    "label": f.label,
                    "kind": f.get_kind_display(),
                    "clause": f.clause,
                    "department": f.department.name if f.department else "",
                    "description": f.description,
                    "closed_at": _at(f.closed_at),
                    "actions": [_action_row(x, today) for x in f.actions.all()],
                }
                for f in a.findings.all()
            ],
        }
        for a in audits.order_by("audit_date", "pk")
    ]


def _action_register(begin, after, department_ids, today) -> dict:
    """The action register in the period: counts by state, and every open action past its due date."""
    actions = _in_departments(
        Action.objects.filter(created_at__lt=after).filter(
            Q(status__in=Action.OPEN_STATUSES) | Q(created_at__gte=begin) | Q(verified_at__gte=begin)
        ),
        "department",
        department_ids,
    )
    counts = {row["status"]: row["n"] for row in actions.values("status").annotate(n=Count("pk")).order_by()}
    labels = dict(Action.Status.choices)
    overdue = actions.filter(status__in=Action.OPEN_STATUSES, due_date__lt=today).select_related("owner__user")
    return {
        "by_status": [{"status": labels[s], "count": counts.get(s, 0)} for s in Action.Status.values],
        "total": sum(counts.values()),
        "overdue": [_action_row(a, today) for a in overdue.order_by("due_date", "reference")],
    }


# Gaps, audit trail, attachments ---------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.datetime):
        return _at(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _gaps() -> dict:
    """The gap list of the readiness check: each weak or missing item with its status and reasons."""
    from evidence.selectors.readiness import readiness_gaps, readiness_report

    return {
        "items": [
            {
                "clause": item.id,
                "requirement": item.text,
                "severity": item.status_label,
                "text": "; ".join(item.reasons) or "No evidence in the period.",
            }
            for item in readiness_gaps(readiness_report())
        ],
    }


def _record_label(row) -> str:
    for name in ("reference", "title", "name", "original_name"):
        value = getattr(row, name, None)
        if value:
            return str(value)[:80]
    return f"#{row.id}"


def _audit_trail(begin, after) -> dict:
    """The period's changes to every record of the QMS: counts per kind of record, and the newest entries.

    Two queries per kind of record kept with history (a count and the newest entries).
    """
    per_model, entries = [], []
    kinds = {"+": "Created", "~": "Changed", "-": "Deleted"}
    for app in TRAIL_APPS:
        for model in apps.get_app_config(app).get_models():
            history = getattr(model, "history", None)
            if history is None or not hasattr(history, "model"):
                continue
            rows = history.filter(history_date__gte=begin, history_date__lt=after)
            total = rows.count()
            if not total:
                continue
            per_model.append({"record": str(model._meta.verbose_name).capitalize(), "changes": total})
            for row in rows.select_related("history_user").order_by("-history_date")[:AUDIT_TRAIL_LIMIT]:
                entries.append((row.history_date, model, row))
    entries.sort(key=lambda e: e[0], reverse=True)
    return {
        "per_record": sorted(per_model, key=lambda r: (-r["changes"], r["record"])),
        "total": sum(r["changes"] for r in per_model),
        "limit": AUDIT_TRAIL_LIMIT,
        "entries": [
            {
                "at": _at(at),
                "user": _user_name(row.history_user) or "system",
                "record": str(model._meta.verbose_name).capitalize(),
                "label": _record_label(row),
                "change": kinds.get(row.history_type, row.history_type),
                "reason": row.history_change_reason or "",
            }
            for at, model, row in entries[:AUDIT_TRAIL_LIMIT]
        ],
    }


def _attachments(begin, after) -> list[dict]:
    files = Attachment.objects.filter(created_at__gte=begin, created_at__lt=after).select_related(
        "content_type", "uploaded_by"
    )
    return [
        {
            "file_name": a.original_name,
            "record": f"{str(a.content_type.name).capitalize()} #{a.object_id}",
            "description": a.description,
            "size": a.size,
            "sha256": a.sha256,
            "uploaded_by": _user_name(a.uploaded_by),
            "uploaded_at": _at(a.created_at),
        }
        for a in files.order_by("created_at", "pk")
    ]


# The pack ------------------------------------------------------------------------------------------------


def pack_sections(clause_ids) -> list[str]:
    """The clause sections a pack holds: those of the chosen items, or all."""
    if not clause_ids:
        return list(SECTION_ORDER)
    groups = set(clause_ids)
    return [
        section for section in SECTION_ORDER if any(cid == section or cid.startswith(section + ".") for cid in groups)
    ]


def pack_data(
    *,
    period_start: datetime.date,
    period_end: datetime.date,
    clause_ids=(),
    departments=(),
    reference: str = "",
    generated_by: str = "",
    generated_at: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> dict:
    """Everything an evidence pack shows, as plain JSON-able data (the pack's attached file), plus its charts.

    `departments` (Department rows or ids) keeps the records of those departments and the ones
    under them; the policy, the responsibility matrix, the customer figures, the audit trail
    and the attachments are organisation-wide and stay whole. Objective charts are SVG text
    under "charts", left out of the attached file.
    """
    today = today or timezone.localdate()
    generated_at = generated_at or timezone.now()
    clause_ids = list(clause_ids or [])
    chosen = list(departments or ())
    if chosen and not all(isinstance(d, Department) for d in chosen):
        chosen = list(Department.objects.filter(pk__in=[getattr(d, "pk", d) for d in chosen]))
    department_ids = _department_ids(chosen)
    chosen_names = sorted(d.name for d in chosen)
    begin, after = local_bounds(period_start, period_end)
    sections = pack_sections(clause_ids)

    items = _clause_items(clause_ids, department_ids, period_start, period_end)
    data = {
        "format": "clause5-evidence-pack",
        "format_version": 1,
        "pack": {
            "reference": reference,
            "organisation": settings.ORGANISATION_NAME,
            "period_start": _day(period_start),
            "period_end": _day(period_end),
            "generated_at": _at(generated_at),
            "generated_by": generated_by,
            "clause_ids": clause_ids,
            "departments": chosen_names,
            "time_zone": str(timezone.get_current_timezone()),
        },
        "sections": [
            {
                "id": section,
                "title": SECTION_TITLES[section],
                "clause_title": CLAUSES.get(section, ""),
                "items": [item for item in items if item["group"] == section],
                "missing": sum(1 for item in items if item["group"] == section and not item["count"]),
            }
            for section in sections
        ],
    }
    charts: dict[str, str] = {}
    if "5.1.1" in sections:
        data["commitment"] = _commitment(period_start, period_end, department_ids)
        data["resources"] = _resources(begin, after, department_ids)
    if "5.1.2" in sections:
        data["customers"] = _customers(period_start, period_end, department_ids)
    if "5.2" in sections:
        data["policy"] = _policy(begin, after, department_ids)
    if "5.3" in sections:
        data["roles"] = _roles(period_start, period_end, department_ids)
    if "6.2" in sections:
        data["objectives"], charts = _objectives(period_start, period_end, begin, after, department_ids)
    if "9.3" in sections:
        data["meetings"], data["meetings_unsigned"] = _meetings(begin, after, department_ids, today)
        data["management_reviews"] = _management_reviews(begin, after, department_ids)
        data["audits"] = _audits(period_start, period_end, department_ids, today)
        data["actions"] = _action_register(begin, after, department_ids, today)
    data["gaps"] = _jsonable(_gaps())
    data["audit_trail"] = _audit_trail(begin, after)
    data["attachments"] = _attachments(begin, after)
    data["counts"] = pack_counts(data)
    data["charts"] = charts
    return data


def pack_counts(data: dict) -> dict[str, int]:
    """How many of each thing the pack holds: the summary table of the cover and of the attached file."""
    meetings = data.get("meetings", [])
    items = [item for section in data.get("sections", []) for item in section["items"]]
    return {
        "requirement_items": len(items),
        "items_without_evidence": sum(1 for i in items if not i["count"]),
        "commitment_entries": len(data.get("commitment", [])),
        "resource_decisions": len(data.get("resources", [])),
        "complaints": len(data.get("customers", {}).get("complaints", [])),
        "policy_versions": len(data.get("policy", {}).get("versions", [])),
        "positions": len(data.get("roles", {}).get("positions", [])),
        "objectives": len(data.get("objectives", [])),
        "measurements": sum(len(o["measurements"]) for o in data.get("objectives", [])),
        "signed_meetings": len(meetings),
        "decisions": sum(len(m["decisions"]) for m in meetings),
        "management_reviews": len(data.get("management_reviews", [])),
        "internal_audits": len(data.get("audits", [])),
        "audit_findings": sum(len(a["findings"]) for a in data.get("audits", [])),
        "overdue_actions": len(data.get("actions", {}).get("overdue", [])),
        "gaps": len(data["gaps"]["items"]),
        "audit_trail_changes": data.get("audit_trail", {}).get("total", 0),
        "attachments": len(data.get("attachments", [])),
    }


COUNT_LABELS = {
    "requirement_items": "Requirement items covered",
    "items_without_evidence": "Requirement items without evidence in the period",
    "commitment_entries": "Leadership commitment log entries",
    "resource_decisions": "Resource decisions",
    "complaints": "Customer complaints received",
    "policy_versions": "Quality policy versions in force",
    "positions": "Positions in the responsibility matrix",
    "objectives": "Quality objectives",
    "measurements": "Measurements",
    "signed_meetings": "Meetings with signed minutes",
    "decisions": "Meeting decisions",
    "management_reviews": "Management reviews",
    "internal_audits": "Internal audits completed",
    "audit_findings": "Internal audit findings",
    "overdue_actions": "Overdue open actions",
    "gaps": "Gaps found by the readiness check",
    "audit_trail_changes": "Changes in the audit trail",
    "attachments": "Attachments",
}


def pack_attachment_data(data: dict) -> dict:
    """The attached file's content: the pack's data without the charts (drawn from the measurements)."""
    return {key: value for key, value in data.items() if key != "charts"}
