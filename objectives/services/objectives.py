"""Writes of quality objectives (6.2): create and edit, the lifecycle, the action plan, target revisions.

An objective is planned as a draft, activated once it is measurable and has a plan (6.2.1.b,
6.2.2), and closed as achieved or missed (or cancelled, with a reason). Once active, its target,
band, tolerance and due date change only through a target revision approved by top management
with an e-signature (6.2.1.g); the old values stay on the revision.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from leadership.models import Department, Person
from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import CustomerRequirement
from leadership.models.policy import PolicyVersion
from leadership.models.positions import Position
from leadership.selectors.policy import policy_version_published
from leadership.services.commitment import commitment_record_from
from objectives.models import ActionPlanStep, Objective, TargetRevision
from objectives.models.objectives import format_target
from objectives.selectors import objectives as selectors
from objectives.services.progress import objective_refresh
from qms import outbox
from qms.concurrency import check_version
from qms.exceptions import ApplicationError
from qms.notifications import notify_once
from qms.references import save_with_reference
from qms.signatures import signature_sign, signing_service

REFERENCE_PREFIX = "OBJ"

OBJECTIVE_EDITABLE = (
    "title",
    "description",
    "policy_version",
    "strategic_theme",
    "category",
    "owner",
    "department",
    "parent",
    "metric_name",
    "unit",
    "direction",
    "baseline",
    "target",
    "target_upper",
    "tolerance",
    "frequency",
    "start_date",
    "due_date",
    "evaluation_method",
)
OBJECTIVE_LINKS = ("kpi_of_positions", "customer_requirements")
# What a conflicting edit is described by: what people edit, and the lifecycle they may have moved.
CONFLICT_FIELDS = (*OBJECTIVE_EDITABLE, "status", "closing_note")

FIELD_LABELS = {
    "target": "target",
    "target_upper": "upper limit",
    "tolerance": "tolerance",
    "due_date": "due date",
}


def _save_with_actor(instance, actor) -> None:
    instance.full_clean()
    instance._history_user = actor
    instance.save()


def _require(actor, permission: str, message: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(message)


def _require_scope(actor, objective: Objective, doing: str, message: str = "") -> None:
    if not selectors.objective_scope_ok(actor, objective):
        raise PermissionDenied(
            message
            or f"As a department manager you may {doing} only objectives of a department you head, or that you own."
        )


def _lock(objective: Objective) -> Objective:
    # Lock only the objective row: PostgreSQL refuses FOR UPDATE on the nullable side of a join.
    return Objective.objects.select_for_update(of=("self",)).select_related("department", "owner").get(pk=objective.pk)


# Objectives ----------------------------------------------------------------------------------


def _check_links(objective: Objective, changed: set[str], links: dict) -> None:
    """Rules on what an objective points at, checked when the link is set or changed."""
    errors = {}
    if "policy_version" in changed and objective.policy_version is not None:
        version = objective.policy_version
        if version.status != PolicyVersion.Status.PUBLISHED:
            errors["policy_version"] = (
                f"Objectives serve the policy in force: version {version.number} is "
                f"{version.get_status_display().lower()}, choose the published version."
            )
    if "parent" in changed and objective.parent is not None and not objective.parent.is_open:
        errors["parent"] = (
            f"{objective.parent.reference} is {objective.parent.get_status_display().lower()}: an objective can "
            "contribute only to a draft or active objective."
        )
    if "department" in changed and objective.department is not None and not objective.department.is_active:
        errors["department"] = f"{objective.department} is no longer active; choose an active department."
    if "owner" in changed and objective.owner_id and not objective.owner.user.is_active:
        errors["owner"] = f"{objective.owner} no longer has an active account; choose another owner."
    # Only newly added links must be active: a link made earlier stays when its target is retired.
    kept = {
        field: set(getattr(objective, field).values_list("pk", flat=True)) if objective.pk else set()
        for field in OBJECTIVE_LINKS
        if links.get(field) is not None
    }
    positions = links.get("kpi_of_positions")
    if positions is not None:
        inactive = [str(p) for p in positions if not p.is_active and p.pk not in kept["kpi_of_positions"]]
        if inactive:
            errors["kpi_of_positions"] = f"No longer active: {', '.join(inactive)}."
    requirements = links.get("customer_requirements")
    if requirements is not None:
        inactive = [
            r.requirement[:60] for r in requirements if not r.is_active and r.pk not in kept["customer_requirements"]
        ]
        if inactive:
            errors["customer_requirements"] = f"No longer active: {'; '.join(inactive)}."
    if errors:
        raise ValidationError(errors)


def _set_links(objective: Objective, actor, links: dict) -> None:
    objective._history_user = actor
    for field, values in links.items():
        if values is not None:
            getattr(objective, field).set(values)


@transaction.atomic
def objective_create(
    *,
    actor,
    title: str,
    category: str,
    owner: Person,
    reference: str = "",
    description: str = "",
    policy_version: PolicyVersion | None = None,
    strategic_theme: str = "",
    department: Department | None = None,
    parent: Objective | None = None,
    kpi_of_positions: list[Position] | None = None,
    customer_requirements: list[CustomerRequirement] | None = None,
    metric_name: str = "",
    unit: str = "",
    direction: str = "",
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    target_upper: Decimal | None = None,
    tolerance: Decimal | None = None,
    frequency: str = "",
    start_date: datetime.date | None = None,
    due_date: datetime.date | None = None,
    evaluation_method: str = "",
) -> Objective:
    """Plan a new objective as a draft. It cites the published policy version unless another is given.

    The reference is OBJ-<year>-NNN unless one is given (the demo gives its own).
    """
    _require(actor, "objectives.add_objective", "Your role cannot create quality objectives.")
    objective = Objective(
        title=title,
        category=category,
        owner=owner,
        description=description,
        policy_version=policy_version or policy_version_published(),
        strategic_theme=strategic_theme,
        department=department,
        parent=parent,
        metric_name=metric_name,
        unit=unit,
        direction=direction,
        baseline=baseline,
        target=target,
        target_upper=target_upper,
        tolerance=tolerance,
        frequency=frequency,
        start_date=start_date,
        due_date=due_date,
        evaluation_method=evaluation_method,
    )
    _require_scope(actor, objective, "create")
    links = {"kpi_of_positions": kpi_of_positions, "customer_requirements": customer_requirements}
    _check_links(objective, {"policy_version", "parent", "department", "owner"}, links)
    reference = (reference or "").strip()
    if reference:
        if Objective.objects.filter(reference__iexact=reference).exists():
            raise ValidationError({"reference": f"The reference {reference} is already used by another objective."})
        objective.reference = reference
        _save_with_actor(objective, actor)
    else:
        save_with_reference(objective, actor, REFERENCE_PREFIX)
    _set_links(objective, actor, links)
    return objective


def _differs(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is not new
        return Decimal(old) != Decimal(new)
    return old != new


@transaction.atomic
def objective_update(*, actor, objective: Objective, expected_version: int | None = None, **changes) -> Objective:
    """Edit an objective. Once active, target, upper limit, tolerance and due date change only by revision.

    An active objective must stay measurable: a change that would make it unmeasurable is refused.
    With `expected_version` (the version the user opened), an objective someone saved meanwhile is
    refused with `EditConflict`, which names what they changed.
    """
    _require(actor, "objectives.change_objective", "Your role cannot edit quality objectives.")
    objective = _lock(objective)
    _require_scope(actor, objective, "edit")
    check_version(objective, expected_version, fields=CONFLICT_FIELDS)
    if not objective.is_open:
        raise ApplicationError(
            f"{objective.reference} is {objective.get_status_display().lower()}: a closed objective is kept as it "
            "was and cannot be edited."
        )
    links = {}
    changed = set()
    for field, value in changes.items():
        if field in OBJECTIVE_LINKS:
            links[field] = list(value) if value is not None else None
            continue
        if field not in OBJECTIVE_EDITABLE:
            raise ValueError(f"{field} cannot be changed through objective_update")
        if _differs(getattr(objective, field), value):
            changed.add(field)
            setattr(objective, field, value)
    if objective.status == Objective.Status.ACTIVE:
        revised = [f for f in Objective.REVISED_FIELDS if f in changed]
        if revised:
            names = ", ".join(FIELD_LABELS[f] for f in revised)
            raise ApplicationError(
                f"{objective.reference} is active: its {names} can change only through a target revision. "
                "Propose a revision with the reason; top management approves it.",
                extra={"fields": revised},
            )
        gaps = {k: v for k, v in selectors.objective_activation_gaps(objective).items() if k != "plan"}
        if gaps:
            raise ValidationError({k: f"An active objective must stay measurable. {v}" for k, v in gaps.items()})
    _require_scope(
        actor,
        objective,
        "edit",
        "As a department manager you may give an objective only to a department you head, or keep it as its owner.",
    )
    _check_links(objective, changed, links)
    _save_with_actor(objective, actor)
    _set_links(objective, actor, links)
    return objective


@transaction.atomic
def objective_activate(*, actor, objective: Objective) -> Objective:
    """Activate a draft that is measurable and planned; its owner, department head and plan owners are told.

    Raises ValidationError keyed by field for everything still missing (the plan under "plan").
    """
    _require(actor, "objectives.activate_objective", "Your role cannot activate quality objectives.")
    objective = _lock(objective)
    _require_scope(actor, objective, "activate")
    if objective.status != Objective.Status.DRAFT:
        raise ApplicationError(
            f"{objective.reference} is {objective.get_status_display().lower()}: only a draft can be activated."
        )
    gaps = selectors.objective_activation_gaps(objective)
    if gaps:
        raise ValidationError(gaps)
    objective.status = Objective.Status.ACTIVE
    objective.activated_at = timezone.now()
    _save_with_actor(objective, actor)
    objective_refresh(objective_id=objective.pk)
    from objectives.tasks.objectives import objective_notify_activated_task

    actor_id = actor.pk
    outbox.enqueue(objective_notify_activated_task, objective.pk, actor_id)
    return Objective.objects.get(pk=objective.pk)


def _check_no_pending_revision(objective: Objective, doing: str) -> None:
    pending = objective.revisions.filter(status=TargetRevision.Status.PROPOSED).first()
    if pending is not None:
        raise ApplicationError(
            f"{objective.reference} has a target revision waiting for a decision (effective "
            f"{pending.effective_from:%d %b %Y}): have it approved or rejected before it is {doing}."
        )


@transaction.atomic
def objective_close(*, actor, objective: Objective, outcome: str, closing_note: str) -> Objective:
    """Close an active objective as achieved or missed, with a note on the result and what was learnt."""
    _require(actor, "objectives.activate_objective", "Your role cannot close quality objectives.")
    objective = _lock(objective)
    _require_scope(actor, objective, "close")
    if objective.status != Objective.Status.ACTIVE:
        raise ApplicationError(
            f"{objective.reference} is {objective.get_status_display().lower()}: only an active objective can be "
            "closed as achieved or missed."
        )
    errors = {}
    if outcome not in (Objective.Status.ACHIEVED, Objective.Status.MISSED):
        errors["outcome"] = "Choose whether the objective was achieved or missed."
    closing_note = (closing_note or "").strip()
    if not closing_note:
        errors["closing_note"] = "Write a closing note: the result reached and what was learnt."
    if errors:
        raise ValidationError(errors)
    _check_no_pending_revision(objective, "closed")
    objective.status = outcome
    objective.closing_note = closing_note
    objective.closed_at = timezone.now()
    _save_with_actor(objective, actor)
    return objective


@transaction.atomic
def objective_cancel(*, actor, objective: Objective, reason: str) -> Objective:
    """Cancel a draft or active objective, with the reason (kept as its closing note)."""
    _require(actor, "objectives.activate_objective", "Your role cannot cancel quality objectives.")
    objective = _lock(objective)
    _require_scope(actor, objective, "cancel")
    if not objective.is_open:
        raise ApplicationError(
            f"{objective.reference} is already {objective.get_status_display().lower()}: only a draft or active "
            "objective can be cancelled."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for cancelling, e.g. the product line was discontinued."})
    _check_no_pending_revision(objective, "cancelled")
    objective.status = Objective.Status.CANCELLED
    objective.closing_note = reason
    objective.closed_at = timezone.now()
    _save_with_actor(objective, actor)
    return objective


def objective_notify_activated(*, objective_id: int, actor_id: int | None = None) -> int:
    """Tell the owner, the department head and the plan's responsible people that an objective is active (6.2.1.f).

    Once per person and objective; returns how many were told.
    """
    objective = (
        Objective.objects.select_related("owner__user", "department__head__user").filter(pk=objective_id).first()
    )
    if objective is None or objective.status != Objective.Status.ACTIVE:
        return 0
    people = [objective.owner]
    if objective.department and objective.department.head:
        people.append(objective.department.head)
    people += [s.responsible for s in objective.plan_steps.select_related("responsible__user")]
    users = {p.user.pk: p.user for p in people if p.user.is_active and p.user.pk != actor_id}
    url = settings.BASE_URL + objective.get_absolute_url()
    target = objective.target_text
    sent = 0
    for user in users.values():
        sent += notify_once(
            recipient=user,
            kind="objective-activated",
            subject_key=f"objectives.objective:{objective.pk}",
            period="activated",
            title=f"Quality objective {objective.reference} is active",
            body=f"{objective.title}\n\n{objective.metric_name}: target {target} by {objective.due_date:%d %b %Y}. "
            f"Owner: {objective.owner}.",
            url=url,
        )
    return sent


def _target_text(objective: Objective, target, upper) -> str:
    return format_target(objective.direction, target, upper, objective.unit)


# Action plan ---------------------------------------------------------------------------------

STEP_EDITABLE = ("what", "resources", "responsible", "due_date", "status", "order", "done_at")


def _check_plan_open(objective: Objective) -> None:
    if not objective.is_open:
        raise ApplicationError(
            f"{objective.reference} is {objective.get_status_display().lower()}: the plan of a closed objective is "
            "kept as it was."
        )


def _apply_done(step: ActionPlanStep, done_at: datetime.date | None) -> None:
    if step.status == ActionPlanStep.Status.DONE:
        step.done_at = done_at or step.done_at or timezone.localdate()
        if step.done_at > timezone.localdate():
            raise ValidationError({"done_at": "A step is done once it has happened: the date cannot be in the future."})
    else:
        step.done_at = None


@transaction.atomic
def action_plan_step_create(
    *,
    actor,
    objective: Objective,
    what: str,
    resources: str,
    responsible: Person,
    due_date: datetime.date,
    status: str = ActionPlanStep.Status.PLANNED,
    order: int | None = None,
    done_at: datetime.date | None = None,
) -> ActionPlanStep:
    """Add a step to an objective's plan: what will be done, resources, who, by when (6.2.2.a-d)."""
    _require(actor, "objectives.add_actionplanstep", "Your role cannot plan objectives.")
    objective = _lock(objective)
    _require_scope(actor, objective, "plan")
    _check_plan_open(objective)
    if order is None:
        order = (objective.plan_steps.aggregate(n=Max("order"))["n"] or 0) + 1
    step = ActionPlanStep(
        objective=objective,
        order=order,
        what=(what or "").strip(),
        resources=(resources or "").strip(),
        responsible=responsible,
        due_date=due_date,
        status=status or ActionPlanStep.Status.PLANNED,
    )
    _apply_done(step, done_at)
    if responsible is not None and not responsible.user.is_active:
        raise ValidationError({"responsible": f"{responsible} no longer has an active account; choose another person."})
    _save_with_actor(step, actor)
    return step


@transaction.atomic
def action_plan_step_update(*, actor, step: ActionPlanStep, **changes) -> ActionPlanStep:
    """Change a plan step; setting it done stamps today unless a completion date is given."""
    _require(actor, "objectives.change_actionplanstep", "Your role cannot change action plans.")
    step = (
        ActionPlanStep.objects.select_for_update(of=("self",)).select_related("objective__department").get(pk=step.pk)
    )
    _require_scope(actor, step.objective, "plan")
    _check_plan_open(step.objective)
    for field, value in changes.items():
        if field not in STEP_EDITABLE:
            raise ValueError(f"{field} cannot be changed through action_plan_step_update")
        if field in ("what", "resources"):
            value = (value or "").strip()
        if field != "done_at":
            setattr(step, field, value)
    _apply_done(step, changes.get("done_at"))
    if "responsible" in changes and step.responsible_id and not step.responsible.user.is_active:
        raise ValidationError({"responsible": f"{step.responsible} no longer has an active account."})
    _save_with_actor(step, actor)
    return step


@transaction.atomic
def action_plan_step_mark_done(*, actor, step: ActionPlanStep, done_at: datetime.date | None = None) -> ActionPlanStep:
    """Mark a plan step done (today unless another past date is given)."""
    return action_plan_step_update(actor=actor, step=step, status=ActionPlanStep.Status.DONE, done_at=done_at)


# Target revisions ----------------------------------------------------------------------------


def _latest_approved(objective: Objective) -> TargetRevision | None:
    return objective.revisions.filter(status=TargetRevision.Status.APPROVED).order_by("-effective_from", "-pk").first()


def _check_revision_values(objective: Objective, revision: TargetRevision) -> None:
    """The revised values must make a valid objective, and take effect within it, after earlier revisions."""
    trial = Objective(
        direction=objective.direction,
        start_date=objective.start_date,
        target=revision.new_target,
        target_upper=revision.new_target_upper,
        tolerance=revision.new_tolerance,
        due_date=revision.new_due_date,
    )
    errors = {}
    try:
        trial.clean()
    except ValidationError as exc:
        errors.update({f"new_{field}": messages for field, messages in exc.message_dict.items() if field != "parent"})
    if revision.new_target is None:
        errors["new_target"] = ["Set the new target."]
    if objective.start_date and revision.effective_from < objective.start_date:
        errors["effective_from"] = [
            f"The revision must take effect on or after the objective's start date ({objective.start_date:%d %b %Y})."
        ]
    elif revision.new_due_date and revision.effective_from > revision.new_due_date:
        errors["effective_from"] = [
            f"The revision must take effect on or before the due date ({revision.new_due_date:%d %b %Y})."
        ]
    latest = _latest_approved(objective)
    if latest is not None and latest.pk != revision.pk and revision.effective_from < latest.effective_from:
        errors.setdefault("effective_from", []).append(
            f"A revision effective {latest.effective_from:%d %b %Y} is already approved: a new one takes effect on "
            "or after that date."
        )
    if errors:
        raise ValidationError(errors)


def _record_old_values(revision: TargetRevision, objective: Objective) -> None:
    revision.old_target = objective.target
    revision.old_target_upper = objective.target_upper
    revision.old_tolerance = objective.tolerance
    revision.old_due_date = objective.due_date


@transaction.atomic
def target_revision_propose(
    *,
    actor,
    objective: Objective,
    reason: str,
    effective_from: datetime.date,
    new_target: Decimal | None = None,
    new_target_upper: Decimal | None = None,
    new_tolerance: Decimal | None = None,
    new_due_date: datetime.date | None = None,
) -> TargetRevision:
    """Propose new values for an active objective's target, band, tolerance or due date, with the reason.

    A value left empty keeps the current one. Top management approves or rejects the proposal.
    """
    _require(actor, "objectives.add_targetrevision", "Your role cannot propose target revisions.")
    objective = _lock(objective)
    _require_scope(actor, objective, "propose revisions of")
    if objective.status != Objective.Status.ACTIVE:
        raise ApplicationError(
            f"{objective.reference} is {objective.get_status_display().lower()}: only an active objective's target "
            "is revised. A draft is edited directly."
        )
    _check_no_pending_revision(objective, "revised again")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Give the reason for the change, e.g. “new automated line: target from 3% to 1.5%”."}
        )
    if effective_from is None:
        raise ValidationError({"effective_from": "Give the date from which the new values apply."})
    revision = TargetRevision(
        objective=objective,
        reason=reason,
        effective_from=effective_from,
        new_target=objective.target if new_target is None else new_target,
        new_target_upper=objective.target_upper if new_target_upper is None else new_target_upper,
        new_tolerance=objective.tolerance if new_tolerance is None else new_tolerance,
        new_due_date=objective.due_date if new_due_date is None else new_due_date,
        proposed_by=actor,
    )
    _record_old_values(revision, objective)
    unchanged = not any(
        _differs(getattr(revision, f"old_{f}"), getattr(revision, f"new_{f}")) for f in Objective.REVISED_FIELDS
    )
    if unchanged:
        # Not keyed by a field: the API answers it under non_field_errors, the page above the form.
        raise ValidationError("The proposal changes nothing: give a new target, upper limit, tolerance or due date.")
    _check_revision_values(objective, revision)
    _save_with_actor(revision, actor)
    from objectives.tasks.objectives import target_revision_notify_approvers_task

    outbox.enqueue(target_revision_notify_approvers_task, revision.pk)
    return revision


def _decide(
    *, actor, revision: TargetRevision, approve: bool, password: str, otp_code: str, decision_note: str
) -> TargetRevision:
    _require(actor, "objectives.approve_targetrevision", "Only top management approves or rejects target revisions.")
    revision = TargetRevision.objects.select_for_update().get(pk=revision.pk)
    objective = _lock(revision.objective)
    revision.objective = objective
    if revision.proposed_by_id == actor.pk:
        raise PermissionDenied("You proposed this revision; another member of top management must decide on it.")
    if revision.status != TargetRevision.Status.PROPOSED:
        raise ApplicationError(
            f"This revision of {objective.reference} is already {revision.get_status_display().lower()}; a decision "
            "is not changed. Propose a new revision instead."
        )
    if objective.status != Objective.Status.ACTIVE:
        raise ApplicationError(
            f"{objective.reference} is {objective.get_status_display().lower()}: only an active objective's target "
            "can be revised."
        )
    decision_note = (decision_note or "").strip()
    if not approve and not decision_note:
        raise ValidationError({"decision_note": "Give the reason for rejecting, so the proposer knows what to change."})
    status = TargetRevision.Status.APPROVED if approve else TargetRevision.Status.REJECTED
    if approve:
        # The values the revision replaces are those in force now, which an earlier revision may have changed.
        _record_old_values(revision, objective)
        _check_revision_values(objective, revision)
    new_values = _target_text(objective, revision.new_target, revision.new_target_upper)
    verb = "approve" if approve else "reject"
    signature = signature_sign(
        actor=actor,
        record=revision,
        meaning=status.value,
        password=password,
        otp_code=otp_code,
        content=selectors.target_revision_signed_content(revision, decision=status.value, note=decision_note),
        statement=f"I {verb} the revision of {objective.reference} to {new_values} from "
        f"{revision.effective_from:%d %b %Y}.",
    )
    revision.status = status
    revision.decided_by = actor
    revision.decided_at = signature.signed_at
    revision.decision_note = decision_note
    revision.signature = signature
    _save_with_actor(revision, actor)
    if approve:
        objective.target = revision.new_target
        objective.target_upper = revision.new_target_upper
        objective.tolerance = revision.new_tolerance
        objective.due_date = revision.new_due_date
        _save_with_actor(objective, actor)
        objective_refresh(objective_id=objective.pk)
    # Deciding whether an objective's target changes is top management keeping the objectives fit (5.1.1.b)
    # and the QMS achieving its results (5.1.1.g).
    if hasattr(actor, "person"):
        commitment_record_from(
            person=actor.person,
            source=CommitmentEntry.Source.TARGET_REVISED,
            source_record=revision,
            date=timezone.localdate(signature.signed_at),
            description=f"{'Approved' if approve else 'Rejected'} the target revision of {objective}: "
            f"{revision.reason}"[:4000],
            requirement_ids=["5.1.1.b", "5.1.1.g"],
        )
    from objectives.tasks.objectives import target_revision_notify_decision_task

    outbox.enqueue(target_revision_notify_decision_task, revision.pk)
    return revision


@signing_service
@transaction.atomic
def target_revision_approve(
    *, actor, revision: TargetRevision, password: str, otp_code: str = "", decision_note: str = ""
) -> TargetRevision:
    """Approve with an e-signature: the objective takes the new values now; the old ones stay on the revision."""
    return _decide(
        actor=actor, revision=revision, approve=True, password=password, otp_code=otp_code, decision_note=decision_note
    )


@signing_service
@transaction.atomic
def target_revision_reject(
    *, actor, revision: TargetRevision, password: str, decision_note: str, otp_code: str = ""
) -> TargetRevision:
    """Reject with a note and an e-signature: the objective keeps its values."""
    return _decide(
        actor=actor, revision=revision, approve=False, password=password, otp_code=otp_code, decision_note=decision_note
    )


def _approvers():
    perm = Permission.objects.get(content_type__app_label="objectives", codename="approve_targetrevision")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm))
        .distinct()
    )


def target_revision_notify_approvers(*, revision_id: int) -> int:
    """Tell top management a target revision waits for their decision (once per person and revision)."""
    revision = TargetRevision.objects.select_related("objective", "proposed_by").filter(pk=revision_id).first()
    if revision is None or revision.status != TargetRevision.Status.PROPOSED:
        return 0
    objective = revision.objective
    proposer = revision.proposed_by.get_full_name() or revision.proposed_by.get_username()
    body = (
        f"{proposer} proposes for {objective.reference} ({objective.title}): target "
        f"{_target_text(objective, revision.old_target, revision.old_target_upper)} → "
        f"{_target_text(objective, revision.new_target, revision.new_target_upper)}, from "
        f"{revision.effective_from:%d %b %Y}.\n\nReason: {revision.reason}"
    )
    sent = 0
    for user in _approvers().exclude(pk=revision.proposed_by_id):
        sent += notify_once(
            recipient=user,
            kind="target-revision-proposed",
            subject_key=f"objectives.targetrevision:{revision.pk}",
            period="proposed",
            title=f"Target revision of {objective.reference} waits for your decision",
            body=body,
            url=settings.BASE_URL + revision.get_absolute_url(),
        )
    return sent


def target_revision_notify_decision(*, revision_id: int) -> bool:
    """Tell the proposer what top management decided (once)."""
    revision = TargetRevision.objects.select_related("objective", "proposed_by").filter(pk=revision_id).first()
    if revision is None or not revision.is_decided:
        return False
    decision = revision.get_status_display().lower()
    body = f"Your target revision of {revision.objective.reference} ({revision.objective.title}) was {decision}."
    if revision.decision_note:
        body += f"\n\nNote: {revision.decision_note}"
    return notify_once(
        recipient=revision.proposed_by,
        kind="target-revision-decided",
        subject_key=f"objectives.targetrevision:{revision.pk}",
        period="decided",
        title=f"Target revision of {revision.objective.reference} {decision}",
        body=body,
        url=settings.BASE_URL + revision.get_absolute_url(),
    )
