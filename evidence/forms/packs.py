"""Forms of evidence packs: asking for a pack of a period, some requirement items, some departments."""

import datetime

from django import forms
from django.utils import timezone

from evidence.models.clauses import Clause
from evidence.selectors.clauses import last_twelve_months
from leadership.models import Department


def last_calendar_year(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    year = (today or timezone.localdate()).year - 1
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def grouped_clause_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Requirement items grouped by their clause, as <optgroup>s (one query)."""
    groups: dict[str, tuple[str, list]] = {}
    for clause in Clause.objects.order_by("order"):
        label = f"{clause.group} {clause.group_title}"
        groups.setdefault(clause.group, (label, []))[1].append((clause.pk, f"{clause.pk} {clause.text}"))
    return list(groups.values())


class EvidencePackRequestForm(forms.Form):
    """The period (a preset or two dates), and optionally the requirement items and departments to include."""

    LAST_12_MONTHS = "last-12-months"
    LAST_CALENDAR_YEAR = "last-calendar-year"
    CUSTOM = "custom"
    PRESETS = [
        (LAST_12_MONTHS, "The last 12 months"),
        (LAST_CALENDAR_YEAR, "The last calendar year"),
        (CUSTOM, "Custom period"),
    ]

    preset = forms.ChoiceField(choices=PRESETS, initial=LAST_12_MONTHS, widget=forms.RadioSelect, label="Period")
    period_start = forms.DateField(
        required=False,
        label="First day",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Custom period only.",
    )
    period_end = forms.DateField(
        required=False,
        label="Last day",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Custom period only.",
    )
    clause_ids = forms.MultipleChoiceField(
        required=False,
        label="Requirement items",
        help_text="Leave empty for every item. Hold Ctrl (⌘ on a Mac) to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 14}),
    )
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.none(),
        required=False,
        help_text="Leave empty for the whole organisation; a department includes the ones under it.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause_ids"].choices = grouped_clause_choices()
        self.fields["departments"].queryset = Department.objects.filter(is_active=True).order_by("name")
        for name, field in self.fields.items():
            if name != "preset":
                field.widget.attrs.setdefault(
                    "class", "form-select" if name in {"clause_ids", "departments"} else "form-control"
                )

    def clean(self):
        data = super().clean()
        preset = data.get("preset")
        if preset == self.LAST_12_MONTHS:
            data["period_start"], data["period_end"] = last_twelve_months()
        elif preset == self.LAST_CALENDAR_YEAR:
            data["period_start"], data["period_end"] = last_calendar_year()
        elif preset == self.CUSTOM:
            for name, words in (("period_start", "first"), ("period_end", "last")):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Give the {words} day of the custom period.")
        return data
