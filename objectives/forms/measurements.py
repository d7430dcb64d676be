"""Forms of measurements: one value, a correction, a row of the fast entry page, a CSV import."""

import datetime

from django import forms

from objectives.services.measurements import IMPORT_COLUMNS, import_limits

PERIOD_FORMATS = ["%Y-%m-%d", "%Y-%m"]


class MeasurementForm(forms.Form):
    """One value of one objective; the period is any day of it."""

    period = forms.DateField(
        input_formats=PERIOD_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Any day of the period: it is stored as the period's first day (Monday, 1st of the month or "
        "of the quarter).",
    )
    value = forms.DecimalField(widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What explains the value, e.g. “new supplier lot”, “line 2 down for three days”.",
    )


class MeasurementCorrectForm(forms.Form):
    value = forms.DecimalField(widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    correction_reason = forms.CharField(
        label="Reason for the correction",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the value changes, e.g. “transcription error”, “late scrap reports for week 12”. "
        "The old value stays in the history.",
    )


class EntryRowForm(forms.Form):
    """One row of the fast entry page; a row left empty is skipped."""

    period = forms.ChoiceField(choices=())
    value = forms.DecimalField(required=False, widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    comment = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, period_choices=(), initial_period: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = list(period_choices)
        if initial_period is not None:
            self.fields["period"].initial = initial_period.isoformat()
        label = self.prefix or ""
        for name, field in self.fields.items():
            field.widget.attrs.setdefault(
                "class", "form-select form-select-sm" if name == "period" else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("aria-label", f"{name.capitalize()} {label}".strip())

    @property
    def is_filled(self) -> bool:
        return bool(
            self.data.get(self.add_prefix("value"), "").strip() or self.data.get(self.add_prefix("comment"), "").strip()
        )

    def clean(self):
        data = super().clean()
        if data.get("value") is None and (data.get("comment") or "").strip() and "value" not in self.errors:
            self.add_error("value", "Give the value, or clear the comment.")
        return data

    def period_date(self) -> datetime.date | None:
        raw = self.cleaned_data.get("period")
        return datetime.date.fromisoformat(raw) if raw else None


class MeasurementImportForm(forms.Form):
    file = forms.FileField(label="CSV file", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_bytes, max_rows = import_limits()
        self.fields["file"].help_text = (
            f"UTF-8 CSV with the columns {', '.join(IMPORT_COLUMNS)}; up to {max_bytes // 1024:,} kB "
            f"and {max_rows:,} rows."
        )
