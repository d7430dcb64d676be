"""Factories for quality objectives, their action plans and target revisions (shared by all objectives tests)."""

import datetime
from decimal import Decimal

import factory

from objectives.models.objectives import ActionPlanStep, Objective, TargetRevision
from tests.leadership.factories import DepartmentFactory, PersonFactory, UserFactory


class ObjectiveFactory(factory.django.DjangoModelFactory):
    """An ACTIVE, measurable objective (lower-is-better percentage, monthly) with owner and department."""

    class Meta:
        model = Objective
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"OBJ-T-{n:04d}")
    title = factory.Sequence(lambda n: f"Objective {n}")
    description = "Reduce the defective product rate."
    status = Objective.Status.ACTIVE
    strategic_theme = "Right first time"
    category = Objective.Category.PRODUCT_CONFORMITY
    department = factory.SubFactory(DepartmentFactory)
    owner = factory.SubFactory(PersonFactory, department=factory.SelfAttribute("..department"))
    metric_name = "Defective product rate"
    unit = Objective.Unit.PERCENT
    direction = Objective.Direction.LOWER
    baseline = Decimal("3.0")
    target = Decimal("2.0")
    target_upper = None
    tolerance = Decimal("0.3")
    frequency = Objective.Frequency.MONTHLY
    start_date = datetime.date(2025, 1, 1)
    due_date = datetime.date(2026, 6, 30)
    evaluation_method = "Monthly rate from the inspection records, reviewed at the management review."
    activated_at = factory.LazyFunction(lambda: datetime.datetime(2025, 1, 2, 9, 0, tzinfo=datetime.UTC))

    class Params:
        draft = factory.Trait(status=Objective.Status.DRAFT, activated_at=None)
        band = factory.Trait(
            direction=Objective.Direction.BAND,
            metric_name="Coolant concentration",
            baseline=Decimal("7"),
            target=Decimal("6"),
            target_upper=Decimal("8"),
            tolerance=Decimal("0.5"),
        )

    @factory.post_generation
    def plan_steps(self, create, extracted, **kwargs):
        """`ObjectiveFactory(plan_steps=2)` gives the objective a plan of two steps."""
        if create and extracted:
            for _ in range(extracted):
                ActionPlanStepFactory(objective=self, **kwargs)


class ActionPlanStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlanStep

    objective = factory.SubFactory(ObjectiveFactory)
    order = factory.Sequence(lambda n: n + 1)
    what = "Introduce a first-article inspection on every CNC set-up."
    resources = "Two inspectors, one CMM slot per shift."
    responsible = factory.LazyAttribute(lambda step: step.objective.owner)
    due_date = datetime.date(2025, 9, 30)
    status = ActionPlanStep.Status.PLANNED


class TargetRevisionFactory(factory.django.DjangoModelFactory):
    """A PROPOSED revision of an objective's target (decide it with the services to test approval)."""

    class Meta:
        model = TargetRevision

    objective = factory.SubFactory(ObjectiveFactory)
    status = TargetRevision.Status.PROPOSED
    reason = "New automated line 2: defect target from 2% to 1.5%."
    effective_from = datetime.date(2025, 7, 1)
    old_target = factory.LazyAttribute(lambda r: r.objective.target)
    new_target = Decimal("1.5")
    old_target_upper = factory.LazyAttribute(lambda r: r.objective.target_upper)
    new_target_upper = None
    old_tolerance = factory.LazyAttribute(lambda r: r.objective.tolerance)
    new_tolerance = factory.LazyAttribute(lambda r: r.objective.tolerance)
    old_due_date = factory.LazyAttribute(lambda r: r.objective.due_date)
    new_due_date = factory.LazyAttribute(lambda r: r.objective.due_date)
    proposed_by = factory.SubFactory(UserFactory)


def objective_input(**overrides) -> dict:
    """Keyword arguments of `objective_create` for a complete, measurable objective (a draft until activated)."""
    return {
        "title": "Defective product rate 2% or less",
        "category": Objective.Category.PRODUCT_CONFORMITY,
        "strategic_theme": "Right first time",
        "metric_name": "Defective product rate",
        "unit": Objective.Unit.PERCENT,
        "direction": Objective.Direction.LOWER,
        "baseline": Decimal("3.1"),
        "target": Decimal("2.0"),
        "tolerance": Decimal("0.3"),
        "frequency": Objective.Frequency.MONTHLY,
        "start_date": datetime.date(2025, 1, 1),
        "due_date": datetime.date(2026, 6, 30),
        "evaluation_method": "Monthly rate from the inspection records.",
        **overrides,
    }


def step_input(responsible, **overrides) -> dict:
    """Keyword arguments of `action_plan_step_create` for a complete step."""
    return {
        "what": "First-article inspection on every set-up",
        "resources": "CMM slot per shift; two trained setters",
        "responsible": responsible,
        "due_date": datetime.date(2025, 6, 30),
        **overrides,
    }
