"""Kinds of objectives record (6.1, 6.2, 9.1) and the requirement items each evidences."""

from django.db.models import DateField, Exists, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate

from evidence.mapping.base import ALWAYS, Kind, Rule, Span
from objectives.models.measurements import Measurement, period_label
from objectives.models.objectives import ActionPlanStep, Objective, TargetRevision, format_value
from objectives.models.risks import Risk

# Objectives that are, or were, pursued: drafts are plans of objectives, cancelled ones never ran.
PURSUED = ["active", "achieved", "missed"]
POLICY_LINKED = Q(policy_version__isnull=False)


def _status(obj) -> str:
    return obj.get_status_display()


def _linked(model, field: str) -> Q:
    """Records with at least one link in the many-to-many `field`."""
    m2m = model._meta.get_field(field)
    through = m2m.remote_field.through
    return Q(Exists(through.objects.filter(**{m2m.m2m_field_name(): OuterRef("pk")})))


OBJECTIVE = Kind(
    model=Objective,
    label="Quality objective",
    plural="quality objectives",
    evidence=Q(status__in=PURSUED),
    evidence_note="objective that is active, achieved or missed (drafts and cancelled ones are not)",
    date=Coalesce("activated_at", "created_at"),
    date_is_datetime=True,
    span=Span("closed_at", is_datetime=True),
    rules={
        "5.1.1.b": Rule(
            POLICY_LINKED | ~Q(strategic_theme=""), "objectives linked to the policy or to a strategic theme"
        ),
        "5.1.1.g": Rule(Q(status__in=["achieved", "missed"]), "objectives closed with their result evaluated"),
        "5.1.1.j": Rule(
            Q(department__isnull=False) | _linked(Objective, "kpi_of_positions"),
            "departmental objectives and objectives that are KPIs of positions",
        ),
        "5.2.1.b": Rule(POLICY_LINKED, "objectives that cite the quality policy"),
        "6.2.1.a": Rule(POLICY_LINKED, "objectives linked to a policy version"),
        "6.2.1.b": Rule(
            ~Q(metric_name="") & ~Q(unit="") & ~Q(direction="") & Q(target__isnull=False),
            "objectives with a metric, unit, direction and target",
        ),
        "6.2.1.c": Rule(
            _linked(Objective, "customer_requirements"), "objectives linked to the requirements they take into account"
        ),
        "6.2.1.d": Rule(~Q(category="other"), "objectives on product, customer, process or supplier performance"),
        "6.2.1.f": Rule(note="every such objective: owned, assigned to its department and visible to staff"),
        "6.2.2.e": Rule(~Q(evaluation_method=""), "objectives that say how results will be evaluated"),
    },
    department="department",
    title=str,
    status=_status,
    search_fields=("reference", "title", "description"),
)

PLAN_STEP = Kind(
    model=ActionPlanStep,
    label="Objective plan step",
    plural="objective plan steps",
    evidence=Q(objective__status__in=PURSUED),
    evidence_note="plan step of an objective that is active, achieved or missed",
    date="created_at",
    date_is_datetime=True,
    span=Span("objective__closed_at", is_datetime=True),
    rules={
        "6.2.2.a": Rule(note="every such step: what will be done"),
        "6.2.2.b": Rule(~Q(resources=""), "steps naming the resources they need"),
        "6.2.2.c": Rule(note="every such step: who is responsible"),
        "6.2.2.d": Rule(note="every such step: when it will be completed"),
    },
    department="objective__department",
    related=("objective",),
    title=str,
    status=_status,
    search_fields=("what", "resources", "objective__reference", "objective__title"),
)

TARGET_REVISION = Kind(
    model=TargetRevision,
    label="Objective target revision",
    plural="objective target revisions",
    evidence=Q(status="approved"),
    evidence_note="approved target revision",
    date=Coalesce("decided_at", "created_at"),
    date_is_datetime=True,
    rules={"6.2.1.g": Rule()},
    department="objective__department",
    related=("objective",),
    title=lambda obj: f"{obj.objective.reference} target revision from {obj.effective_from:%d %b %Y}",
    status=_status,
    search_fields=("reason", "objective__reference", "objective__title"),
)

MEASUREMENT = Kind(
    model=Measurement,
    label="Measurement",
    plural="measurements",
    evidence=ALWAYS,
    evidence_note="measured value of an objective's metric for a period",
    date="period_start",
    date_is_datetime=False,
    rules={"6.2.1.e": Rule(), "9.3.2.c.5": Rule()},
    department="objective__department",
    related=("objective",),
    title=lambda obj: (
        f"{obj.objective.reference} {period_label(obj.objective.frequency, obj.period_start)}: "
        f"{format_value(obj.value, obj.objective.unit)}"
    ),
    status=lambda obj: "Corrected" if obj.correction_reason else "Recorded",
    search_fields=("objective__reference", "objective__title", "comment"),
)

RISK = Kind(
    model=Risk,
    label="Risk or opportunity",
    plural="risks and opportunities",
    evidence=Q(last_reviewed_on__isnull=False) | ~Q(treatment=""),
    evidence_note="entry of the register that was reviewed or has a treatment",
    date=Coalesce("last_reviewed_on", TruncDate("created_at"), output_field=DateField()),
    date_is_datetime=False,
    rules={
        "5.1.1.d": Rule(Q(last_reviewed_on__isnull=False), "entries reviewed by management"),
        "5.1.2.b": Rule(
            ~Q(treatment="") & (Q(source="customer") | _linked(Risk, "customer_requirements")),
            "entries about customers or customer requirements, with their treatment",
        ),
    },
    department="department",
    title=str,
    status=_status,
    search_fields=("reference", "title", "description", "treatment"),
)

KINDS = (OBJECTIVE, PLAN_STEP, TARGET_REVISION, MEASUREMENT, RISK)
