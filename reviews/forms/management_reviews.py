"""Forms of management reviews (9.3): preparing one, its conclusions, outputs and notes."""

import datetime

from django import forms
from django.utils import timezone

from leadership.models import Person
from leadership.roles import Role
from reviews.models.management_reviews import ManagementReview
from reviews.models.meetings import Decision, MeetingType

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def active_people():
    return (
        Person.objects.select_related("user")
        .filter(user__is_active=True)
        .order_by("user__last_name", "user__first_name")
    )


def _last_twelve_months(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The twelve whole months before the current one: the usual period of a yearly review."""
    first_of_month = today.replace(day=1)
    return first_of_month.replace(year=first_of_month.year - 1), first_of_month - datetime.timedelta(days=1)


class ManagementReviewPrepareForm(forms.Form):
    """What preparing a management review asks: its meeting and the period it looks back on."""

    meeting_type = forms.ModelChoiceField(
        queryset=MeetingType.objects.none(), help_text="The management review type whose schedule this review meets."
    )
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty for “Management review of …”.")
    planned_start = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=5,
        max_value=24 * 60,
        required=False,
        help_text="Leave empty for the type's usual duration.",
    )
    place = forms.CharField(max_length=200, required=False, help_text="Leave empty for the type's usual room.")
    link = forms.URLField(required=False, label="Video call link", assume_scheme="https")
    chair = forms.ModelChoiceField(
        queryset=Person.objects.none(), help_text="A member of top management: the chair signs the review."
    )
    minute_taker = forms.ModelChoiceField(label="Minute-taker", queryset=Person.objects.none(), required=False)
    invitees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Leave empty to invite the type's usual invitees. The chair and minute-taker are always invited.",
    )
    period_start = forms.DateField(widget=DATE_INPUT, help_text="First day of the period the review looks back on.")
    period_end = forms.DateField(widget=DATE_INPUT, help_text="Last day of that period, by the day of the meeting.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = MeetingType.objects.filter(category=MeetingType.Category.MANAGEMENT_REVIEW, is_active=True)
        self.fields["meeting_type"].queryset = types
        people = active_people()
        self.fields["chair"].queryset = people.filter(user__groups__name=Role.TOP_MANAGEMENT).distinct()
        self.fields["minute_taker"].queryset = people
        self.fields["invitees"].queryset = people
        first_type = types.select_related("default_chair").first()
        start, end = _last_twelve_months(timezone.localdate())
        self.initial.setdefault("period_start", start)
        self.initial.setdefault("period_end", end)
        if first_type is not None:
            self.initial.setdefault("meeting_type", first_type.pk)
            if first_type.default_chair_id:
                self.initial.setdefault("chair", first_type.default_chair_id)


class ConclusionsForm(forms.ModelForm):
    """The review's conclusions on the QMS (9.3.1); the first three are needed before signing."""

    class Meta:
        model = ManagementReview
        fields = ["suitability", "adequacy", "effectiveness", "strategic_alignment"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class OutputForm(forms.Form):
    """A 9.3.3 output: the decision, which kind of output it is, and who carries it out."""

    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 2}))
    output_category = forms.ChoiceField(label="Output", choices=Decision.OutputCategory.choices)
    owner = forms.ModelChoiceField(queryset=Person.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_people()


class OutputOwnerForm(forms.Form):
    """Give an output recorded without an owner its owner."""

    decision = forms.IntegerField(widget=forms.HiddenInput)
    owner = forms.ModelChoiceField(queryset=Person.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_people()


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The presenter's commentary: what the figures mean, what changed, what to decide.",
    )
