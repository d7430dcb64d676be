"""Serializers of quality objectives, their action plan steps and target revisions."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leadership.models import Department, Person
from leadership.models.customers import CustomerRequirement
from leadership.models.policy import PolicyVersion
from leadership.models.positions import Position
from objectives.models import ActionPlanStep, Objective, TargetRevision
from objectives.selectors.objectives import targets_in_force
from qms.serializers import SignatureSerializer, SignInputSerializer


def _decimal(**kwargs):
    return serializers.DecimalField(max_digits=14, decimal_places=4, **kwargs)


class ObjectiveSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    steps_total = serializers.IntegerField(read_only=True, help_text="Steps in the action plan.")
    steps_done = serializers.IntegerField(read_only=True, help_text="Steps of the plan that are done.")
    revisions_pending = serializers.IntegerField(read_only=True, help_text="Target revisions awaiting a decision.")
    requirement_ids = serializers.SerializerMethodField(help_text="The ISO 9001 items an objective evidences.")

    class Meta:
        model = Objective
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "status",
            "policy_version",
            "strategic_theme",
            "category",
            "owner",
            "owner_name",
            "department",
            "parent",
            "kpi_of_positions",
            "customer_requirements",
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
            "health",
            "forecast_value",
            "projected_to_miss",
            "latest_value",
            "latest_period",
            "health_computed_at",
            "activated_at",
            "closed_at",
            "closing_note",
            "steps_total",
            "steps_done",
            "revisions_pending",
            "requirement_ids",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_requirement_ids(self, objective) -> list[str]:
        return list(Objective.REQUIREMENT_IDS)


class ActionPlanStepSerializer(serializers.ModelSerializer):
    responsible_name = serializers.CharField(source="responsible.full_name", read_only=True)

    class Meta:
        model = ActionPlanStep
        fields = [
            "id",
            "objective",
            "order",
            "what",
            "resources",
            "responsible",
            "responsible_name",
            "due_date",
            "status",
            "done_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TargetStepSerializer(serializers.Serializer):
    """The target in force from a date until the next step."""

    effective_from = serializers.DateField()
    target = _decimal(allow_null=True)
    target_upper = _decimal(allow_null=True)
    tolerance = _decimal(allow_null=True)


class ObjectiveDetailSerializer(ObjectiveSerializer):
    plan_steps = ActionPlanStepSerializer(many=True, read_only=True)
    targets_in_force = serializers.SerializerMethodField(
        help_text="The target, band and tolerance in force over time, from approved revisions."
    )

    class Meta(ObjectiveSerializer.Meta):
        fields = [*ObjectiveSerializer.Meta.fields, "plan_steps", "targets_in_force"]
        read_only_fields = fields

    @extend_schema_field(TargetStepSerializer(many=True))
    def get_targets_in_force(self, objective) -> list[dict]:
        steps = [
            {"effective_from": day, "target": target, "target_upper": upper, "tolerance": tolerance}
            for day, target, upper, tolerance in targets_in_force(objective)
        ]
        return TargetStepSerializer(steps, many=True).data


class ObjectiveWriteSerializer(serializers.Serializer):
    """Input for creating or editing an objective. On an active objective, target, target_upper,
    tolerance and due_date change only through a target revision (409 otherwise)."""

    reference = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="Empty for the next OBJ-<year>-NNN."
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    policy_version = serializers.PrimaryKeyRelatedField(
        queryset=PolicyVersion.objects.all(),
        required=False,
        allow_null=True,
        help_text="Empty for the published version.",
    )
    strategic_theme = serializers.CharField(max_length=120, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Objective.Category.choices)
    owner = serializers.PrimaryKeyRelatedField(queryset=Person.objects.select_related("user"))
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True, help_text="Empty for company-wide."
    )
    parent = serializers.PrimaryKeyRelatedField(queryset=Objective.objects.all(), required=False, allow_null=True)
    kpi_of_positions = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all(), many=True, required=False)
    customer_requirements = serializers.PrimaryKeyRelatedField(
        queryset=CustomerRequirement.objects.all(), many=True, required=False
    )
    metric_name = serializers.CharField(max_length=160, required=False, allow_blank=True)
    unit = serializers.ChoiceField(choices=Objective.Unit.choices, required=False, allow_blank=True)
    direction = serializers.ChoiceField(choices=Objective.Direction.choices, required=False, allow_blank=True)
    baseline = _decimal(required=False, allow_null=True)
    target = _decimal(required=False, allow_null=True)
    target_upper = _decimal(required=False, allow_null=True)
    tolerance = _decimal(required=False, allow_null=True)
    frequency = serializers.ChoiceField(choices=Objective.Frequency.choices, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    evaluation_method = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            # The reference is given once, at creation.
            self.fields.pop("reference")


class CloseInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[Objective.Status.ACHIEVED, Objective.Status.MISSED])
    closing_note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The result reached and what was learnt. Required."
    )


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required.")


class ActionPlanStepWriteSerializer(serializers.Serializer):
    """Input for adding a step to an objective's plan (objective required) or editing one."""

    objective = serializers.PrimaryKeyRelatedField(queryset=Objective.objects.all())
    what = serializers.CharField()
    resources = serializers.CharField()
    responsible = serializers.PrimaryKeyRelatedField(queryset=Person.objects.select_related("user"))
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionPlanStep.Status.choices, required=False)
    order = serializers.IntegerField(min_value=0, required=False)
    done_at = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            # A step stays in the plan it was made for.
            self.fields.pop("objective")


class StepDoneInputSerializer(serializers.Serializer):
    done_at = serializers.DateField(required=False, allow_null=True, help_text="Today when empty.")


class TargetRevisionSerializer(serializers.ModelSerializer):
    objective_reference = serializers.CharField(source="objective.reference", read_only=True)
    signature = SignatureSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TargetRevision
        fields = [
            "id",
            "objective",
            "objective_reference",
            "status",
            "reason",
            "effective_from",
            "old_target",
            "new_target",
            "old_target_upper",
            "new_target_upper",
            "old_tolerance",
            "new_tolerance",
            "old_due_date",
            "new_due_date",
            "proposed_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "signature",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TargetRevisionWriteSerializer(serializers.Serializer):
    """A proposal: the values left out keep their current value."""

    objective = serializers.PrimaryKeyRelatedField(queryset=Objective.objects.all())
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    effective_from = serializers.DateField()
    new_target = _decimal(required=False, allow_null=True)
    new_target_upper = _decimal(required=False, allow_null=True)
    new_tolerance = _decimal(required=False, allow_null=True)
    new_due_date = serializers.DateField(required=False, allow_null=True)


class RevisionDecisionInputSerializer(SignInputSerializer):
    """The decider's password, and the decision note (required to reject)."""

    decision_note = serializers.CharField(required=False, allow_blank=True, default="")
