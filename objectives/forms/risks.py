"""Forms of the risk and opportunity register."""

import datetime

from django import forms
from django.utils import timezone

from leadership.models import Department, Person
from leadership.models.customers import CustomerRequirement
from objectives.models import Objective
from objectives.models.risks import Risk

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LIKELIHOOD_CHOICES = [
    (1, "1 - Rare"),
    (2, "2 - Unlikely"),
    (3, "3 - Possible"),
    (4, "4 - Likely"),
    (5, "5 - Almost certain"),
]
IMPACT_CHOICES = [
    (1, "1 - Negligible"),
    (2, "2 - Minor"),
    (3, "3 - Moderate"),
    (4, "4 - Major"),
    (5, "5 - Severe"),
]
DEFAULT_REVIEW_DAYS = 90


class RiskForm(forms.ModelForm):
    likelihood = forms.TypedChoiceField(choices=LIKELIHOOD_CHOICES, coerce=int)
    impact = forms.TypedChoiceField(choices=IMPACT_CHOICES, coerce=int)

    class Meta:
        model = Risk
        fields = [
            "type",
            "title",
            "description",
            "source",
            "likelihood",
            "impact",
            "treatment",
            "action",
            "owner",
            "department",
            "status",
            "next_review_date",
            "objectives",
            "customer_requirements",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "treatment": forms.Textarea(attrs={"rows": 3}),
            "action": forms.Textarea(attrs={"rows": 2}),
            "next_review_date": DATE_INPUT,
            "objectives": forms.SelectMultiple(attrs={"size": 6}),
            "customer_requirements": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "action": "Who does what by when. The action register will take this over.",
            "objectives": "Objectives this risk threatens or this opportunity serves.",
            "customer_requirements": "Customer requirements whose conformity it affects (5.1.2.b).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.select_related("user").filter(user__is_active=True)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        self.fields["objectives"].queryset = Objective.objects.exclude(status=Objective.Status.CANCELLED).order_by(
            "reference"
        )
        self.fields["customer_requirements"].queryset = CustomerRequirement.objects.filter(
            is_active=True
        ).select_related("customer")
        if not self.instance.pk:
            self.fields["next_review_date"].initial = timezone.localdate() + datetime.timedelta(
                days=DEFAULT_REVIEW_DAYS
            )


class RiskReviewForm(forms.Form):
    """What a reviewer records when marking a risk reviewed."""

    next_review_date = forms.DateField(widget=DATE_INPUT, help_text="When the risk is to be reviewed again.")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="What the review found, e.g. “scores unchanged, second supplier audit booked”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_review_date"].initial = timezone.localdate() + datetime.timedelta(days=DEFAULT_REVIEW_DAYS)
