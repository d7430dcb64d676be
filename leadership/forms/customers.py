"""Forms of customer focus (5.1.2). They check shape; the services hold the rules."""

import datetime

from django import forms
from django.utils import timezone

from leadership.models import Department, Person
from leadership.models.customers import CustomerFeedback, CustomerRequirement
from leadership.services.customers import IMPORT_COLUMNS, import_limits
from qms.forms import VersionedFormMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today():
    return timezone.localdate()


def _active_departments():
    return Department.objects.filter(is_active=True).order_by("name")


def _active_people():
    return Person.objects.select_related("user").filter(user__is_active=True).order_by("user__last_name")


class CustomerNameInput(forms.TextInput):
    """A text box that suggests the known customers (the page supplies the <datalist>)."""

    def __init__(self, attrs=None):
        super().__init__({"list": "customer-names", "autocomplete": "off", **(attrs or {})})


class CustomerFeedbackForm(VersionedFormMixin):
    type = forms.ChoiceField(choices=CustomerFeedback.Type.choices)
    customer = forms.CharField(
        max_length=200,
        widget=CustomerNameInput(),
        help_text="Pick a known customer or type a new name; a new name adds the customer.",
    )
    channel = forms.ChoiceField(choices=CustomerFeedback.Channel.choices)
    received_date = forms.DateField(widget=DATE_INPUT, initial=_today)
    product = forms.CharField(max_length=200, required=False, label="Product or service")
    severity = forms.ChoiceField(
        choices=[("", "—"), *CustomerFeedback.Severity.choices],
        required=False,
        help_text="Complaints and returns only: it sets the response and closing due days.",
    )
    satisfaction_score = forms.IntegerField(
        required=False, min_value=0, max_value=10, help_text="Survey responses only: 0 to 10."
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="What the customer told you.")
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label="Department responsible")
    owner = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        help_text="Leave empty to make the head of the department the owner.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _active_departments()
        self.fields["owner"].queryset = _active_people()


class CustomerFeedbackAssessForm(VersionedFormMixin):
    assessment_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="What the assessment found: is it justified, how serious."
    )
    root_cause = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="If known already."
    )
    assessed_on = forms.DateField(widget=DATE_INPUT, initial=_today, label="Assessed on")


class CustomerFeedbackRespondForm(VersionedFormMixin):
    response = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Management's response",
        help_text="The decision taken: what will be done, by whom, with which resources.",
    )
    responded_on = forms.DateField(widget=DATE_INPUT, initial=_today, label="Decided on")


class CustomerFeedbackCloseForm(VersionedFormMixin):
    effectiveness_check = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Effectiveness check",
        help_text="How it was verified that the response worked (e.g. the next three lots inspected, "
        "the customer confirmed). Required after a management response.",
    )
    closed_on = forms.DateField(widget=DATE_INPUT, initial=_today, label="Closed on")


class CustomerFeedbackImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_bytes, max_rows = import_limits()
        self.fields["file"].help_text = (
            f"UTF-8 CSV with the columns {', '.join(IMPORT_COLUMNS)}; up to {max_bytes // (1024 * 1024)} MB "
            f"and {max_rows:,} rows."
        )


class CustomerRequirementForm(forms.Form):
    requirement = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    customer = forms.CharField(
        max_length=200,
        required=False,
        widget=CustomerNameInput(),
        help_text="Leave empty for a requirement of every customer, such as a regulation.",
    )
    category = forms.ChoiceField(choices=CustomerRequirement.Category.choices)
    department = forms.ModelChoiceField(queryset=Department.objects.none(), help_text="Whose process meets it.")
    process = forms.CharField(max_length=200, help_text="The process that meets it, e.g. final inspection.")
    verification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="How meeting it is verified: inspection, record, test."
    )
    source = forms.ChoiceField(choices=CustomerRequirement.Source.choices)
    source_reference = forms.CharField(
        max_length=120, required=False, help_text="Contract, drawing, specification or regulation number."
    )
    review_date = forms.DateField(widget=DATE_INPUT, help_text="When it is next checked against the source.")
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _active_departments()


class ResponseTargetForm(forms.Form):
    days_to_response = forms.IntegerField(min_value=1, max_value=365, label="Days to management response")
    days_to_close = forms.IntegerField(min_value=1, max_value=730, label="Days to close")


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (what <input type="month"> sends) or as any day of it."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": "Give the month as YYYY-MM, e.g. 2026-03."}

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if isinstance(day, datetime.date) else day


class OrderVolumeForm(forms.Form):
    month = MonthField()
    orders = forms.IntegerField(min_value=0, help_text="Customer orders shipped in the month.")
    note = forms.CharField(max_length=200, required=False, help_text="Where the figure comes from.")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["month"].disabled = True
