"""Forms of quality objectives: the objective, plan steps, closing, cancelling, target revisions and decisions."""

from django import forms
from django.db.models import Q

from leadership.models import Department, Person
from leadership.models.customers import CustomerRequirement
from leadership.models.policy import PolicyVersion
from leadership.models.positions import Position
from leadership.selectors.policy import policy_version_published
from objectives.models import ActionPlanStep, Objective
from objectives.models.objectives import format_number
from qms.forms import SignForm, VersionedFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"step": "any"})
REVISED_HELP = "Active objective: changed only through a target revision (propose one on the objective page)."


def _active_people():
    return Person.objects.select_related("user").filter(user__is_active=True)


class RequirementChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        who = obj.customer.name if obj.customer_id else "All customers"
        text = obj.requirement if len(obj.requirement) <= 90 else obj.requirement[:89] + "…"
        return f"{who}: {text}"


class ObjectiveForm(VersionedFormMixin, forms.ModelForm):
    """Every field of an objective; the service decides what may change in its current state."""

    reference = forms.CharField(
        max_length=20,
        required=False,
        help_text="Leave empty for the next free reference of the year, e.g. OBJ-2026-004.",
    )
    customer_requirements = RequirementChoiceField(
        queryset=CustomerRequirement.objects.none(),
        required=False,
        label="Customer requirements taken into account (6.2.1.c)",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Objective
        fields = [
            "reference",
            "title",
            "description",
            "policy_version",
            "strategic_theme",
            "category",
            "owner",
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
        ]
        labels = {
            "policy_version": "Quality policy version it serves (6.2.1.a)",
            "category": "Relevant to (6.2.1.d)",
            "parent": "Contributes to",
            "kpi_of_positions": "Performance indicator of these positions",
            "target": "Target",
            "target_upper": "Upper limit (band only)",
            "evaluation_method": "How results are evaluated (6.2.2.e)",
        }
        help_texts = {
            "department": "Leave empty for a company-wide objective.",
            "kpi_of_positions": "Target binding: the objective counts in the performance of these positions' holders.",
            "strategic_theme": "e.g. Right first time, Customer trust, Dependable supply.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evaluation_method": forms.Textarea(attrs={"rows": 3}),
            "kpi_of_positions": forms.SelectMultiple(attrs={"size": 5}),
            "start_date": DATE,
            "due_date": DATE,
            "baseline": NUMBER,
            "target": NUMBER,
            "target_upper": NUMBER,
            "tolerance": NUMBER,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        objective = self.instance
        published = policy_version_published()
        versions = Q(status=PolicyVersion.Status.PUBLISHED)
        if objective.policy_version_id:
            versions |= Q(pk=objective.policy_version_id)
        self.fields["policy_version"].queryset = PolicyVersion.objects.filter(versions).only("pk", "number", "title")
        self.fields["owner"].queryset = _active_people()
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        parents = Objective.objects.filter(status__in=[Objective.Status.DRAFT, Objective.Status.ACTIVE])
        if objective.pk:
            parents = parents.exclude(pk=objective.pk)
        self.fields["parent"].queryset = parents.only("pk", "reference", "title")
        # Retired positions and requirements stay selectable where already linked, so an edit keeps them.
        linked_positions = Q(is_active=True)
        linked_requirements = Q(is_active=True)
        if objective.pk:
            linked_positions |= Q(kpi_objectives=objective)
            linked_requirements |= Q(objectives=objective)
        self.fields["kpi_of_positions"].queryset = (
            Position.objects.filter(linked_positions).select_related("department").distinct()
        )
        self.fields["customer_requirements"].queryset = (
            CustomerRequirement.objects.filter(linked_requirements).select_related("customer").distinct()
        )
        for name in ("metric_name", "unit", "direction", "target", "frequency", "start_date", "due_date"):
            self.fields[name].help_text = self.fields[name].help_text or "Needed before activation."
        for name in ("baseline", "target", "target_upper", "tolerance"):
            if getattr(objective, name) is not None:
                self.initial[name] = format_number(getattr(objective, name))
        if objective.pk:
            del self.fields["reference"]
            if objective.status == Objective.Status.ACTIVE:
                for name in Objective.REVISED_FIELDS:
                    self.fields[name].widget.attrs["readonly"] = True
                    self.fields[name].help_text = REVISED_HELP
        elif published is not None:
            self.initial.setdefault("policy_version", published.pk)

    def clean_reference(self):
        return self.cleaned_data.get("reference", "").strip()

    def _get_validation_exclusions(self):
        # The service allocates or checks the reference; the model's uniqueness check would name it twice.
        return {*super()._get_validation_exclusions(), "reference"}


class ActionPlanStepForm(forms.ModelForm):
    class Meta:
        model = ActionPlanStep
        fields = ["what", "resources", "responsible", "due_date", "status"]
        labels = {
            "what": "What will be done",
            "resources": "Resources needed",
            "responsible": "Responsible",
            "due_date": "Due",
        }
        widgets = {
            "what": forms.Textarea(attrs={"rows": 2}),
            "resources": forms.Textarea(attrs={"rows": 2}),
            "due_date": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _active_people()


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(Objective.Status.ACHIEVED, "Achieved"), (Objective.Status.MISSED, "Missed")],
        widget=forms.RadioSelect,
    )
    closing_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The result reached and what was learnt. Required.",
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Why the objective is no longer pursued. Required.",
    )


class TargetRevisionForm(forms.Form):
    """New values for an active objective; a field left as it is keeps its value."""

    new_target = forms.DecimalField(max_digits=14, decimal_places=4, widget=NUMBER, label="New target")
    new_target_upper = forms.DecimalField(
        max_digits=14, decimal_places=4, required=False, widget=NUMBER, label="New upper limit (band only)"
    )
    new_tolerance = forms.DecimalField(
        max_digits=14, decimal_places=4, required=False, widget=NUMBER, label="New tolerance"
    )
    new_due_date = forms.DateField(required=False, widget=DATE, label="New due date")
    effective_from = forms.DateField(widget=DATE, help_text="From this date charts and health use the new values.")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Why the target changes, e.g. “New automated line 2: defect target from 3% to 1.5%”. Required.",
    )

    def __init__(self, *args, objective: Objective, **kwargs):
        super().__init__(*args, **kwargs)
        self.objective = objective
        self.initial.setdefault("new_target", format_number(objective.target) or None)
        self.initial.setdefault("new_target_upper", format_number(objective.target_upper) or None)
        self.initial.setdefault("new_tolerance", format_number(objective.tolerance) or None)
        self.initial.setdefault("new_due_date", objective.due_date)
        if not objective.is_band:
            del self.fields["new_target_upper"]


class RevisionDecisionForm(SignForm):
    """Password re-entry plus the decision note (required to reject)."""

    decision_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the proposer. Required when rejecting.",
    )
