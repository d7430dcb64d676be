"""Forms of roles, responsibilities and authorities (5.3). Views hand `cleaned_data` to the services."""

from django import forms
from django.utils import timezone

from leadership.models import Department, Person
from leadership.models.positions import ManagementRepresentativeAppointment, Position, default_currency
from qms.iso import CLAUSES, REQUIREMENTS


def grouped_requirement_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The ISO catalogue as choices grouped by clause, for a long list that stays readable."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for r in REQUIREMENTS:
        groups.setdefault(r.clause, []).append((r.id, f"{r.id}: {r.text}"))
    return [(f"{clause} {CLAUSES[clause]}", items) for clause, items in groups.items()]


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name}, {obj.job_title}" if obj.job_title else obj.full_name


class _PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.department})"


def _active_people():
    return Person.objects.select_related("user").filter(user__is_active=True)


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PositionForm(forms.ModelForm):
    reports_to = _PositionChoiceField(queryset=Position.objects.none(), required=False)
    requirement_ids = forms.MultipleChoiceField(
        choices=grouped_requirement_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="ISO requirements this position carries",
        help_text="Each of 5.3.a to 5.3.e must sit with a position. A change here is a new revision.",
    )

    class Meta:
        model = Position
        fields = [
            "title",
            "department",
            "reports_to",
            "responsibilities",
            "authorities",
            "requirement_ids",
            "is_active",
        ]
        widgets = {
            "responsibilities": forms.Textarea(attrs={"rows": 6}),
            "authorities": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "responsibilities": "What the holder must do, one per line. A change here is a new revision, which "
            "every holder acknowledges again.",
            "authorities": "What the holder may decide, one per line, e.g. “May stop a batch that fails "
            "inspection”. A change here is a new revision.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        superiors = Position.objects.select_related("department").filter(is_active=True)
        if self.instance.pk:
            superiors = superiors.exclude(pk=self.instance.pk)
            self.initial.setdefault("requirement_ids", list(self.instance.requirement_ids or []))
        else:
            del self.fields["is_active"]
        self.fields["reports_to"].queryset = superiors


class PositionHolderAssignForm(forms.Form):
    person = _PersonChoiceField(queryset=Person.objects.none())
    start_date = forms.DateField(widget=_DateInput(), initial=timezone.localdate)
    end_date = forms.DateField(
        widget=_DateInput(), required=False, help_text="Leave empty for a holding with no planned end."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _active_people()


class PositionHolderEndForm(forms.Form):
    end_date = forms.DateField(
        widget=_DateInput(), initial=timezone.localdate, help_text="The last day the person holds the position."
    )


class PositionAcknowledgeForm(forms.Form):
    """The revision the holder read; refused if the description changed in the meantime."""

    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ManagementRepresentativeAppointmentForm(forms.ModelForm):
    person = _PersonChoiceField(queryset=Person.objects.none(), label="Appointed person")

    class Meta:
        model = ManagementRepresentativeAppointment
        fields = ["person", "powers", "budget_limit", "budget_currency", "start_date", "end_date"]
        widgets = {
            "powers": forms.Textarea(attrs={"rows": 5}),
            "start_date": _DateInput(),
            "end_date": _DateInput(),
        }
        help_texts = {
            "end_date": "Usually empty: the appointment then lasts until a new one is signed.",
            "budget_currency": "Three-letter code, e.g. GBP.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _active_people()
        self.fields["budget_currency"].initial = default_currency()
