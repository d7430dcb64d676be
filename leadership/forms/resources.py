"""Forms of resource requests and the quality budget (5.1.1.e, 7.1)."""

from django import forms
from django.utils import timezone

from leadership.models import Department
from leadership.models.resources import QualityBudget, ResourceRequest, ResourceSpend, default_currency
from qms.forms import SignForm


class ResourceRequestForm(forms.ModelForm):
    class Meta:
        model = ResourceRequest
        fields = ["title", "category", "amount", "currency", "needed_by", "department", "serves", "justification"]
        widgets = {
            "needed_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "justification": forms.Textarea(attrs={"rows": 5}),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
        }
        help_texts = {"department": "Leave empty to use your own department."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        self.fields["currency"].required = False
        if not self.instance.pk:
            self.initial.setdefault("currency", default_currency())


class DecisionForm(SignForm):
    """Password re-entry plus the reason for the decision (required to reject)."""

    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the requester. Required when rejecting.",
    )


class SpendForm(forms.ModelForm):
    class Meta:
        model = ResourceSpend
        fields = ["date", "amount", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())


class BudgetPlanForm(forms.Form):
    """The planned amount of one category's budget line, edited on the budget page."""

    category = forms.ChoiceField(choices=QualityBudget.Category.choices, widget=forms.HiddenInput)
    planned_amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0, label="Planned")
    currency = forms.CharField(max_length=3, required=False)
