"""Forms of the leadership commitment log (5.1.1)."""

from django import forms
from django.utils import timezone

from leadership.selectors.commitment import top_managers
from qms.iso import requirement_choices


class CommitmentEntryForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None, label="Top manager", help_text="Who took the action.")
    date = forms.DateField(initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="What was done, concretely: e.g. “Spoke at the November town hall on the scrap-rate objective”.",
    )
    requirement_ids = forms.MultipleChoiceField(
        choices=requirement_choices("5.1.1."),
        widget=forms.CheckboxSelectMultiple,
        label="What it evidences (5.1.1)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = top_managers()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError("The log records actions already taken: the date cannot be in the future.")
        return date
