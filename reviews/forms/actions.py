"""Forms of the action register: create or edit an action, complete it, verify it."""

import datetime

from django import forms
from django.utils import timezone

from leadership.models import Department, Person
from reviews.models.actions import Action
from reviews.selectors.actions import action_source_record

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_DUE_DAYS = 30


def _people():
    return Person.objects.select_related("user").filter(user__is_active=True)


class ActionForm(forms.Form):
    """What an action says and who does it by when; its source comes from the page it was raised on."""

    title = forms.CharField(max_length=200, help_text="What will be done, as an instruction: “Add a deburr step …”.")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Why, and how anyone will know it worked.",
    )
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), help_text="One person answers for it.")
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        help_text="Leave empty to use the owner's department.",
    )
    due_date = forms.DateField(widget=DATE_INPUT)
    priority = forms.ChoiceField(choices=Action.Priority.choices, initial=Action.Priority.MEDIUM)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        if not self.initial.get("due_date"):
            self.fields["due_date"].initial = timezone.localdate() + datetime.timedelta(days=DEFAULT_DUE_DAYS)


class ActionCreateForm(ActionForm):
    """ActionForm plus the source record it is raised from (carried in hidden fields)."""

    source = forms.ChoiceField(choices=Action.Source.choices, widget=forms.HiddenInput)
    record = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if "source" in self.errors or "record" in self.errors:
            self.add_error(None, "This form lost the record the action is for; open it again from that record's page.")
            return data
        source, pk = data.get("source"), data.get("record")
        if source and pk is not None:
            record = action_source_record(source, pk)
            if record is None:
                label = Action.Source(source).label.lower()
                self.add_error(None, f"The {label} this action is for no longer exists; open it again from its page.")
            else:
                data["source_record"] = record
        return data

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError("The due date is in the past; give today or a later date.")
        return due


class ActionCompleteForm(forms.Form):
    completion_note = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The verifier checks the result against this note: say what changed and where the evidence is.",
    )


class ActionVerifyForm(forms.Form):
    effective = forms.TypedChoiceField(
        label="Was it effective?",
        choices=[("yes", "Effective: close it as verified"), ("no", "Not effective: reopen it for the owner")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you checked: e.g. “no burr complaints in the 12 lots shipped since 3 March”.",
    )
    new_due_date = forms.DateField(
        label="New due date",
        widget=DATE_INPUT,
        required=False,
        help_text="When reopening: the new date to finish by. Leave empty to keep the current one.",
    )
