"""Forms of the clause pages: the period and department filter, tagging a record, removing a tag."""

from django import forms

from evidence.filters.clauses import period_errors
from evidence.selectors.clauses import last_twelve_months
from leadership.models import Department

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class EvidenceFilterForm(forms.Form):
    """Which evidence a clause page shows: a period (default the last twelve months) and a department."""

    period_start = forms.DateField(label="From", required=False, widget=DATE_INPUT)
    period_end = forms.DateField(label="To", required=False, widget=DATE_INPUT)
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="All departments",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, data=None, **kwargs):
        # A date left out of the query is the last twelve months' (so a link with only a department
        # shows what the catalogue counted); a date sent empty means no limit on that side.
        data = data.copy() if data is not None else {}
        start, end = last_twelve_months()
        data.setdefault("period_start", start.isoformat())
        data.setdefault("period_end", end.isoformat())
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        for field, message in period_errors(cleaned.get("period_start"), cleaned.get("period_end")).items():
            self.add_error(field, message)
        return cleaned


class EvidenceTagForm(forms.Form):
    """Tag a record of a mapped kind as evidence of the clause shown; the record is picked after a search."""

    kind = forms.ChoiceField(label="Kind of record", widget=forms.Select(attrs={"class": "form-select"}))
    q = forms.CharField(
        label="Find the record",
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control", "type": "search", "placeholder": "Reference, title or text"}
        ),
    )
    object_id = forms.CharField(
        label="Record",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "Choose the record: search for it, then pick it from the list."},
    )
    note = forms.CharField(
        label="Why it evidences this requirement",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose a kind of record")] + [(k.key, k.label) for k in kinds]


class EvidenceTagRemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why it no longer evidences the requirement",
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
