"""Forms of auditor access: grant a period to an auditor account, change it, invite an external auditor."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from evidence.selectors import access as selectors

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A certification audit with its preparation and the closing of findings fits in this.
DEFAULT_DAYS = 60


class AuditorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class _PeriodForm(forms.Form):
    organisation = forms.CharField(
        max_length=200, required=False, help_text="The certification body or customer the auditor works for."
    )
    valid_from = forms.DateField(widget=DATE_INPUT, label="Valid from", help_text="First day the account may sign in.")
    valid_until = forms.DateField(
        widget=DATE_INPUT, label="Valid until", help_text="Last day the account may sign in; at most one year."
    )
    note = forms.CharField(
        max_length=300, required=False, help_text="e.g. “Surveillance audit 2026, stage 2, 14-16 Oct”."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = today + datetime.timedelta(days=DEFAULT_DAYS)


class AuditorAccessForm(_PeriodForm):
    """Grant (or change) the period of an existing auditor account."""

    user = AuditorChoiceField(
        queryset=get_user_model().objects.none(),
        label="Auditor account",
        help_text="Accounts holding only the Auditor role and no access period yet.",
    )

    field_order = ["user", "organisation", "valid_from", "valid_until", "note"]

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {
                **(kwargs.get("initial") or {}),
                "organisation": instance.organisation,
                "valid_from": instance.valid_from,
                "valid_until": instance.valid_until,
                "note": instance.note,
            }
        super().__init__(*args, **kwargs)
        if instance is not None:
            # The account of an existing period does not change: grant another account its own.
            del self.fields["user"]
        else:
            self.fields["user"].queryset = selectors.auditors_without_access()


class AuditorInviteForm(_PeriodForm):
    """Create an external auditor's account with the Auditor role only, and its period."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(help_text="The invitation to choose a password goes here.")
    username = forms.CharField(max_length=150, help_text="What the auditor types to sign in, e.g. c.dubois.")
    job_title = forms.CharField(max_length=120, required=False, help_text="e.g. Lead Auditor.")

    field_order = [
        "first_name",
        "last_name",
        "email",
        "username",
        "job_title",
        "organisation",
        "valid_from",
        "valid_until",
        "note",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].required = True
