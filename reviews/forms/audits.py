"""Forms of internal audits, their findings and the actions that follow them up."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from leadership.models import Department, Person
from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_ACTION_DAYS = 30


def _people():
    return Person.objects.select_related("user", "department").filter(user__is_active=True)


class InternalAuditForm(forms.ModelForm):
    """Plan or edit an audit: the scope is departments, processes or both."""

    class Meta:
        model = InternalAudit
        fields = ["title", "departments", "processes", "criteria", "planned_date", "lead_auditor"]
        widgets = {
            "departments": forms.CheckboxSelectMultiple,
            "processes": forms.Textarea(attrs={"rows": 3}),
            "planned_date": DATE_INPUT,
        }
        labels = {"departments": "Departments in scope", "processes": "Processes in scope"}
        help_texts = {
            "departments": "Leave empty for an audit of processes only.",
            "criteria": "What the audit checks against (9.2.2.b), e.g. ISO 9001:2015 clauses 5, 6.2 and 9.3; QP-09.",
            "lead_auditor": "Must not belong to, or head, an audited department (9.2.2.c).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(is_active=True)
        self.fields["lead_auditor"].queryset = _people()
        self.fields["lead_auditor"].label_from_instance = lambda p: (
            f"{p.full_name} ({p.department})" if p.department_id else p.full_name
        )
        # Scope, criteria and independence are the service's rules; it names the field at fault.
        if not self.instance.pk:
            self.fields["planned_date"].initial = timezone.localdate() + datetime.timedelta(days=30)


class InternalAuditCompleteForm(forms.Form):
    audit_date = forms.DateField(widget=DATE_INPUT, label="Carried out on", help_text="Not in the future.")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Summary and conclusion",
        help_text="What was audited, how well the requirements are met, strengths, and the findings in short.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audit_date"].initial = timezone.localdate()


class InternalAuditCancelForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for cancelling",
        help_text="Kept as the audit's summary. Plan a new audit if it is only moved.",
    )


class AuditFindingForm(forms.ModelForm):
    """Record or correct a finding; the department choices are the audit's scope when it lists departments."""

    class Meta:
        model = AuditFinding
        fields = ["kind", "department", "clause", "description", "evidence"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"clause": "Optional, e.g. 9.3.2 or 7.1.5.1."}

    def __init__(self, *args, audit: InternalAudit, **kwargs):
        super().__init__(*args, **kwargs)
        scope = [d.pk for d in audit.departments.all()]
        if scope:
            choices = Department.objects.filter(pk__in=scope)
        else:
            # A finding's current department stays selectable even if it is no longer active.
            choices = Department.objects.filter(Q(is_active=True) | Q(pk=self.instance.department_id))
        self.fields["department"].queryset = choices
        self.fields["department"].empty_label = "No particular department"


class FindingActionForm(forms.Form):
    """An action in the register that follows up a finding."""

    title = forms.CharField(max_length=200, help_text="What will be done, e.g. “Add objectives to the shift board”.")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="For a nonconformity: the cause found and how the action removes it.",
    )
    owner = forms.ModelChoiceField(queryset=Person.objects.none())
    due_date = forms.DateField(widget=DATE_INPUT)
    priority = forms.ChoiceField(
        choices=[("", "From the finding's kind"), *Action.Priority.choices],
        required=False,
        help_text="Defaults to high for a major nonconformity, medium for a minor one, low otherwise.",
    )

    def __init__(self, *args, finding: AuditFinding | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()
        self.fields["due_date"].initial = timezone.localdate() + datetime.timedelta(days=DEFAULT_ACTION_DAYS)
        if finding is not None and finding.department_id and finding.department.head_id:
            self.fields["owner"].initial = finding.department.head_id
