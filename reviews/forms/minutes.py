"""Forms of minutes: the inline forms of the live recording page, signing, amendments and follow-up.

The recording page renders its people drop-downs from one shared list (see the views), so these
forms are used for validation and errors; their querysets still decide what is accepted.
"""

from django import forms
from django.utils import timezone

from leadership.models import Person
from leadership.models.resources import ResourceRequest
from objectives.models import Objective
from qms.forms import SignForm, VersionedFormMixin
from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MeetingType

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MARK_CHOICES = [
    (Attendee.Status.PRESENT, "Present"),
    (Attendee.Status.ABSENT, "Absent"),
    (Attendee.Status.APOLOGIES, "Sent apologies"),
]


def active_people():
    return Person.objects.select_related("user").filter(user__is_active=True)


class AttendeeMarkForm(forms.Form):
    status = forms.ChoiceField(choices=MARK_CHOICES)


class AttendeeAddForm(forms.Form):
    """A guest or stand-in who was not invited."""

    person = forms.ModelChoiceField(queryset=active_people(), empty_label="Choose a person")
    status = forms.ChoiceField(choices=MARK_CHOICES, initial=Attendee.Status.PRESENT)
    note = forms.CharField(max_length=200, required=False, help_text="e.g. “representing Production”.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = active_people()


class MinutesForm(VersionedFormMixin):
    """An autosave of one item's minutes, with the version of the item the text is based on."""

    minutes = forms.CharField(required=False, strip=False, widget=forms.Textarea)


class NotesForm(forms.Form):
    general_notes = forms.CharField(required=False, strip=False, widget=forms.Textarea)


class AgendaItemAddForm(forms.Form):
    title = forms.CharField(max_length=200, label="New agenda item")
    presenter = forms.ModelChoiceField(queryset=active_people(), required=False, empty_label="No presenter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = active_people()


class DecisionForm(forms.Form):
    """A decision; the 9.3.3 category is asked only in a management review."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Decision")
    owner = forms.ModelChoiceField(queryset=active_people(), required=False, empty_label="No owner")
    output_category = forms.ChoiceField(
        choices=[("", "Choose the 9.3.3 output"), *Decision.OutputCategory.choices],
        required=False,
        label="9.3.3 output",
    )
    agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["owner"].queryset = active_people()
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)
        if meeting.type.category != MeetingType.Category.MANAGEMENT_REVIEW:
            del self.fields["output_category"]


class DecisionActionForm(forms.Form):
    """An action raised on a decision: what, who, by when, how urgent."""

    title = forms.CharField(max_length=200, label="Action")
    owner = forms.ModelChoiceField(queryset=active_people(), empty_label="Owner")
    due_date = forms.DateField(widget=DATE_INPUT, label="Due")
    priority = forms.ChoiceField(choices=Action.Priority.choices, initial=Action.Priority.MEDIUM)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_people()


class MinutesSignForm(SignForm):
    """The chair's password re-entry to approve the minutes."""


class AmendmentForm(SignForm):
    """A correction of signed minutes: which text, the corrected text, why; signed by its author."""

    target = forms.ChoiceField(label="What is corrected")
    amended_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Corrected text", strip=False)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why, e.g. “wrong figure quoted: scrap was 2.1%, not 1.2%”. Shown beside the correction.",
    )

    field_order = ["target", "amended_text", "reason", "password"]

    def __init__(self, *args, meeting: Meeting, items, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.items = {f"item-{i.pk}": i for i in items}
        self.decisions = {f"decision-{d.pk}": d for d in decisions}
        self.fields["target"].choices = [
            ("notes", "General notes"),
            *((key, f"Minutes of item {i.order}. {i.title}"[:120]) for key, i in self.items.items()),
            *((key, f"Decision {d.label}: {d.text}"[:120]) for key, d in self.decisions.items()),
        ]

    def target_records(self) -> dict:
        """The agenda item or decision the chosen target names, as keyword arguments of minutes_amend."""
        key = self.cleaned_data["target"]
        return {"agenda_item": self.items.get(key), "decision": self.decisions.get(key)}


class DecisionResourceRequestForm(forms.ModelForm):
    """A resource request raised from a management review output (9.3.3 c)."""

    class Meta:
        model = ResourceRequest
        fields = ["title", "category", "amount", "currency", "needed_by", "justification"]
        widgets = {
            "needed_by": DATE_INPUT,
            "justification": forms.Textarea(attrs={"rows": 3}),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
        }

    def __init__(self, *args, decision: Decision | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].required = False
        if decision is not None and not self.is_bound:
            self.initial.setdefault("title", decision.text[:200])
            self.initial.setdefault(
                "justification", f"Decided in {decision.meeting.reference} ({decision.label}): {decision.text}"
            )


class DecisionTargetRevisionForm(forms.Form):
    """A target revision a management review decided; values left empty keep the objective's current ones."""

    objective = forms.ModelChoiceField(queryset=Objective.objects.none(), empty_label="Choose the objective")
    new_target = forms.DecimalField(max_digits=14, decimal_places=4, required=False, label="New target")
    new_target_upper = forms.DecimalField(
        max_digits=14, decimal_places=4, required=False, label="New upper limit (band only)"
    )
    new_tolerance = forms.DecimalField(max_digits=14, decimal_places=4, required=False, label="New tolerance")
    new_due_date = forms.DateField(required=False, widget=DATE_INPUT, label="New due date")
    effective_from = forms.DateField(
        widget=DATE_INPUT, help_text="From this date charts and health use the new values."
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, decision: Decision | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(status=Objective.Status.ACTIVE).order_by(
            "reference"
        )
        if not self.is_bound:
            self.initial.setdefault("effective_from", timezone.localdate())
            if decision is not None:
                self.initial.setdefault("reason", f"Decided in {decision.meeting.reference} ({decision.label}).")
