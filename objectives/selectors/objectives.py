"""Reads of quality objectives (6.2): lists, the objective page, the cascade, targets in force, who may do what."""

import datetime
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from leadership.models import Department, Person
from leadership.models.customers import CustomerRequirement
from leadership.models.positions import Position, PositionHolder
from leadership.roles import Role
from objectives.models import ActionPlanStep, Objective, TargetRevision
from qms.signatures import canonical_text, signature_matches

# Roles whose members manage every objective; department managers manage only their own.
COMPANY_WIDE_ROLES = (Role.TOP_MANAGEMENT.value, Role.MANAGEMENT_REPRESENTATIVE.value)

# How many levels of sub-objectives the objective page shows under an objective.
CASCADE_DEPTH = 6

Health = Objective.Health


# Who may do what ---------------------------------------------------------------------------


def _person_pk(user) -> int | None:
    """The pk of the user's person profile, looked up once per request (cached on the user)."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_c5_person_pk"):
        user._c5_person_pk = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    return user._c5_person_pk


def manages_all_objectives(user) -> bool:
    """Top management and the management representative manage every objective (cached on the user)."""
    if user is None or not user.is_authenticated:
        return False
    if not hasattr(user, "_c5_manages_all_objectives"):
        user._c5_manages_all_objectives = user.is_superuser or user.groups.filter(name__in=COMPANY_WIDE_ROLES).exists()
    return user._c5_manages_all_objectives


def objective_in_scope(
    user, *, department_id: int | None, department_head_id: int | None, owner_id: int | None
) -> bool:
    """Whether `user` may manage an objective of this department and owner.

    A department manager manages the objectives of the departments they head and those they own.
    """
    if manages_all_objectives(user):
        return True
    person_pk = _person_pk(user)
    if person_pk is None:
        return False
    return owner_id == person_pk or (department_id is not None and department_head_id == person_pk)


def objective_scope_ok(user, objective: Objective) -> bool:
    department = objective.department
    return objective_in_scope(
        user,
        department_id=objective.department_id,
        department_head_id=department.head_id if department else None,
        owner_id=objective.owner_id,
    )


def objective_may_edit(user, objective: Objective) -> bool:
    return objective.is_open and user.has_perm("objectives.change_objective") and objective_scope_ok(user, objective)


def objective_may_transition(user, objective: Objective) -> bool:
    """Activate, close or cancel: the activate permission and the department rule."""
    return user.has_perm("objectives.activate_objective") and objective_scope_ok(user, objective)


def objective_may_plan(user, objective: Objective) -> bool:
    return objective.is_open and user.has_perm("objectives.add_actionplanstep") and objective_scope_ok(user, objective)


def objective_may_propose_revision(user, objective: Objective) -> bool:
    return (
        objective.status == Objective.Status.ACTIVE
        and user.has_perm("objectives.add_targetrevision")
        and user.has_perm("objectives.change_objective")
        and objective_scope_ok(user, objective)
    )


# Lists and the objective page ----------------------------------------------------------------


def _count_of(queryset) -> Coalesce:
    """A correlated count, so that several counts on one list do not multiply each other's rows."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("objective").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def objective_list() -> QuerySet[Objective]:
    """Objectives with owner, department, parent and policy version loaded, and plan and revision counts."""
    steps = ActionPlanStep.objects.filter(objective=OuterRef("pk"))
    pending = TargetRevision.objects.filter(objective=OuterRef("pk"), status=TargetRevision.Status.PROPOSED)
    return (
        Objective.objects.select_related("owner__user", "department", "parent", "policy_version")
        .defer("policy_version__text", "policy_version__strategy_context", "policy_version__change_summary")
        .annotate(
            steps_total=_count_of(steps),
            steps_done=_count_of(steps.filter(status=ActionPlanStep.Status.DONE)),
            revisions_pending=_count_of(pending),
        )
    )


def objective_api_list() -> QuerySet[Objective]:
    """The list of the API: also the positions and requirements each objective links to (one query each)."""
    return objective_list().prefetch_related(
        Prefetch("kpi_of_positions", queryset=_positions().only("pk", "title")),
        Prefetch("customer_requirements", queryset=_requirements().only("pk", "requirement")),
    )


def _positions():
    return Position.objects.all()


def _requirements():
    return CustomerRequirement.objects.all()


def objective_get(pk) -> Objective:
    """One objective for its page: plan, revisions with their signatures, KPI positions and requirements."""
    return (
        objective_list()
        .select_related("department__head__user", "parent__department")
        .prefetch_related(
            Prefetch("plan_steps", queryset=ActionPlanStep.objects.select_related("responsible__user")),
            Prefetch(
                "revisions",
                queryset=TargetRevision.objects.select_related("proposed_by", "decided_by", "signature").order_by(
                    "effective_from", "pk"
                ),
            ),
            Prefetch("kpi_of_positions", queryset=_positions().select_related("department")),
            Prefetch("customer_requirements", queryset=_requirements().select_related("customer")),
        )
        .get(pk=pk)
    )


def objective_ancestors(objective: Objective) -> list[Objective]:
    """The objectives this one contributes to, the top one first."""
    chain, seen = [], {objective.pk}
    node = objective.parent
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = (
            Objective.objects.select_related("parent").only("pk", "reference", "title", "parent").get(pk=node.pk).parent
        )
    return list(reversed(chain))


def objective_cascade(objective: Objective, depth: int = CASCADE_DEPTH) -> list[dict]:
    """The objective's sub-objectives, recursively: [{"objective": o, "children": [...]}, ...].

    One query per level, so the cost follows the depth of the cascade, never its width.
    """
    nodes_by_id: dict[int, dict] = {objective.pk: {"objective": objective, "children": []}}
    level, seen = [objective.pk], {objective.pk}
    for _ in range(depth):
        if not level:
            break
        children = list(objective_list().filter(parent_id__in=level).exclude(pk__in=seen).order_by("reference"))
        level = []
        for child in children:
            node = {"objective": child, "children": []}
            nodes_by_id[child.parent_id]["children"].append(node)
            nodes_by_id[child.pk] = node
            seen.add(child.pk)
            level.append(child.pk)
    return nodes_by_id[objective.pk]["children"]


def health_counts(queryset: QuerySet[Objective]) -> dict[str, int]:
    """How many of the active objectives of `queryset` are in each health state, in one query."""
    active = queryset.filter(status=Objective.Status.ACTIVE)
    counts = active.aggregate(
        total=Count("pk"),
        **{value: Count("pk", filter=Q(health=value)) for value in Health.values},
        projected_to_miss=Count("pk", filter=Q(projected_to_miss=True)),
    )
    return counts


# Activation ----------------------------------------------------------------------------------


def objective_activation_gaps(objective: Objective) -> dict[str, str]:
    """What an objective still lacks to be activated, keyed by field: measurable (6.2.1.b) and planned (6.2.2).

    Empty when it can be activated.
    """
    gaps = {}
    if not objective.metric_name.strip():
        gaps["metric_name"] = "Name the metric that measures it, e.g. “Defective product rate” (6.2.1.b)."
    if not objective.unit:
        gaps["unit"] = "Choose the unit the metric is measured in."
    if not objective.direction:
        gaps["direction"] = "Choose the direction: higher is better, lower is better, or stay within a band."
    if objective.target is None:
        gaps["target"] = "Set the target value to reach" + (" (the band's lower limit)." if objective.is_band else ".")
    if objective.is_band and objective.target_upper is None:
        gaps["target_upper"] = "Set the band's upper limit."
    if not objective.frequency:
        gaps["frequency"] = "Choose how often it is measured: weekly, monthly or quarterly."
    if objective.start_date is None:
        gaps["start_date"] = "Set the start date."
    if objective.due_date is None:
        gaps["due_date"] = "Set the due date by which the target is to be reached."
    if not objective.evaluation_method.strip():
        gaps["evaluation_method"] = "Describe how the results will be evaluated (6.2.2.e)."
    steps = list(objective.plan_steps.all()) if objective.pk else []
    complete = [s for s in steps if s.what.strip() and s.resources.strip() and s.responsible_id and s.due_date]
    if not complete:
        gaps["plan"] = (
            "Add at least one action plan step saying what will be done, the resources needed, who is "
            "responsible and when it will be completed (6.2.2.a-d)."
        )
    return gaps


# Targets in force ---------------------------------------------------------------------------

TargetStep = tuple[datetime.date, Decimal | None, Decimal | None, Decimal | None]


def _approved_revisions(objective: Objective) -> list[TargetRevision]:
    cached = getattr(objective, "_prefetched_objects_cache", {}).get("revisions")
    if cached is not None:
        revisions = [r for r in cached if r.status == TargetRevision.Status.APPROVED]
    else:
        revisions = list(objective.revisions.filter(status=TargetRevision.Status.APPROVED))
    return sorted(revisions, key=lambda r: (r.effective_from, r.decided_at or r.created_at, r.pk))


def targets_in_force(objective: Objective) -> list[TargetStep]:
    """The target, upper limit and tolerance in force over time: (from, target, target_upper, tolerance) steps.

    The first step starts at the objective's start date with the values before any approved
    revision; each approved revision starts a new step on its effective date (one effective on or
    before the start date replaces the first step). Values hold until the next step. Empty when
    the objective has no start date yet. Uses prefetched revisions when the objective has them.
    """
    if objective.start_date is None:
        return []
    revisions = _approved_revisions(objective)
    if revisions:
        first = revisions[0]
        steps: list[TargetStep] = [
            (objective.start_date, first.old_target, first.old_target_upper, first.old_tolerance)
        ]
    else:
        steps = [(objective.start_date, objective.target, objective.target_upper, objective.tolerance)]
    for revision in revisions:
        day = max(revision.effective_from, objective.start_date)
        step = (day, revision.new_target, revision.new_target_upper, revision.new_tolerance)
        if steps[-1][0] == day:
            steps[-1] = step
        else:
            steps.append(step)
    return steps


def target_as_of(objective: Objective, day: datetime.date, steps: list[TargetStep] | None = None) -> TargetStep | None:
    """The step of `targets_in_force` in force on `day`; None before the start date."""
    steps = targets_in_force(objective) if steps is None else steps
    current = None
    for step in steps:
        if step[0] > day:
            break
        current = step
    return current


# Target revisions ----------------------------------------------------------------------------


def target_revision_list() -> QuerySet[TargetRevision]:
    return TargetRevision.objects.select_related(
        "objective__owner__user", "objective__department", "proposed_by", "decided_by", "signature"
    ).order_by("-created_at", "-pk")


def target_revision_get(pk) -> TargetRevision:
    return target_revision_list().get(pk=pk)


def target_revision_signed_content(revision: TargetRevision, *, decision: str = "", note: str | None = None) -> str:
    """The canonical text a decision signs: which objective, the values before and after, why, what was decided."""

    def text(value):
        return None if value is None else str(value)

    return canonical_text(
        {
            "record": "objectives.targetrevision",
            "id": revision.pk,
            "objective": revision.objective.reference,
            "reason": revision.reason,
            "effective_from": revision.effective_from.isoformat(),
            "old_target": text(revision.old_target),
            "new_target": text(revision.new_target),
            "old_target_upper": text(revision.old_target_upper),
            "new_target_upper": text(revision.new_target_upper),
            "old_tolerance": text(revision.old_tolerance),
            "new_tolerance": text(revision.new_tolerance),
            "old_due_date": text(revision.old_due_date),
            "new_due_date": text(revision.new_due_date),
            "decision": decision or revision.status,
            "decision_note": revision.decision_note if note is None else note,
        }
    )


def target_revision_signature_intact(revision: TargetRevision) -> bool | None:
    """Whether a decided revision still matches what was signed; None when it is not signed."""
    if revision.signature is None:
        return None
    return signature_matches(revision.signature, target_revision_signed_content(revision))


# The cascade by department and by person ------------------------------------------------------


def department_objectives(department: Department) -> QuerySet[Objective]:
    """A department's objectives, open ones first, each with what it contributes to."""
    return objective_list().filter(department=department).order_by("status", "reference")


def department_objective_overview() -> list[Department]:
    """Active departments with the health of their active objectives (one query), for the departments page."""
    active = Q(objectives__status=Objective.Status.ACTIVE)
    return list(
        Department.objects.filter(is_active=True)
        .select_related("head__user")
        .annotate(
            objectives_active=Count("objectives", filter=active),
            objectives_open=Count(
                "objectives", filter=Q(objectives__status__in=[Objective.Status.DRAFT, Objective.Status.ACTIVE])
            ),
            **{
                f"health_{value}": Count("objectives", filter=active & Q(objectives__health=value))
                for value in Health.values
            },
            projected_to_miss=Count("objectives", filter=active & Q(objectives__projected_to_miss=True)),
        )
        .order_by("name")
    )


def person_objectives(person: Person, day: datetime.date | None = None) -> dict:
    """A manager's objectives: KPIs of the positions they hold (target binding), those they own, their plan steps."""
    holdings = list(PositionHolder.objects.current(day).filter(person=person).select_related("position__department"))
    positions = [h.position for h in holdings]
    kpis = list(
        objective_list()
        .filter(kpi_of_positions__in=positions)
        .distinct()
        .prefetch_related(Prefetch("kpi_of_positions", queryset=_positions().only("pk", "title")))
        .order_by("reference")
    )
    held = {p.pk for p in positions}
    for objective in kpis:
        objective.held_positions = [p for p in objective.kpi_of_positions.all() if p.pk in held]
    return {
        "holdings": holdings,
        "kpi_objectives": kpis,
        "owned_objectives": list(objective_list().filter(owner=person).order_by("status", "reference")),
        "open_steps": list(
            ActionPlanStep.objects.filter(responsible=person, objective__status__in=["draft", "active"])
            .exclude(status=ActionPlanStep.Status.DONE)
            .select_related("objective")
            .order_by("due_date", "pk")
        ),
    }


# The home dashboard -----------------------------------------------------------------------------------


def objective_dashboard(request) -> dict:
    """The objectives panel of the home dashboard: health of active objectives, revisions waiting, my plan steps.

    A fixed number of queries: the health counts, the waiting revisions, the user's open steps.
    """
    user = request.user
    person_pk = _person_pk(user)
    today = timezone.localdate()
    steps = ActionPlanStep.objects.filter(
        responsible_id=person_pk, objective__status__in=[Objective.Status.DRAFT, Objective.Status.ACTIVE]
    ).exclude(status=ActionPlanStep.Status.DONE)
    my_steps = steps.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    return {
        "counts": health_counts(Objective.objects.all()),
        "revisions_waiting": TargetRevision.objects.filter(status=TargetRevision.Status.PROPOSED).count()
        if user.has_perm("objectives.approve_targetrevision")
        else None,
        "my_steps_open": my_steps["open"] if person_pk else 0,
        "my_steps_overdue": my_steps["overdue"] if person_pk else 0,
        "person_pk": person_pk,
    }
