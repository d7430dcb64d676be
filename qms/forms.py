from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from qms.auth import run_login_checks
from qms.throttle import lockout_message


class LoginForm(AuthenticationForm):
    """The login form, with a message that helps without telling which half was wrong."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The username or password is not correct. Both are case-sensitive.",
        "inactive": "This account is disabled. Ask your management representative to re-enable it.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Checks the apps registered (qms.auth), e.g. an external auditor's access period.
        run_login_checks(user)

    def get_invalid_login_error(self):
        # django-axes flags the request when this username is locked out from this address.
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(lockout_message(self.request, self.cleaned_data.get("username")), code="locked_out")
        return super().get_invalid_login_error()


def add_service_errors(form, exc) -> None:
    """Show a service's ValidationError on the form: on the named field, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class SignForm(forms.Form):
    """The password re-entry that every e-signature asks for, and the two-factor code of those who use it."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Signing is like a handwritten signature: type your password again to confirm it is you.",
    )
    # Shown only to signers who use two-factor authentication (templates/qms/partials/_sign_form.html);
    # the signing service decides whether it is needed.
    otp_code = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
    )


class VersionedFormMixin(forms.Form):
    """The version of the record the form was opened on, sent back hidden with the user's input.

    The view passes it to the service as `expected_version`; if someone saved the record
    meanwhile, the service refuses (`qms.concurrency.EditConflict`) and the view shows the form
    again with the user's input and the current values (`edit_conflict_rows`). The hidden field
    then carries the current version, so saving again deliberately keeps the user's values.
    """

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def pop_version(self) -> int | None:
        """The version the user edited, taken out of `cleaned_data` (it is no field of the record)."""
        return self.cleaned_data.pop("version", None)

    def show_conflict(self, conflict) -> None:
        """Put the conflict above the form and move the hidden version to the current one."""
        self.add_error(None, conflict.message)
        data = self.data.copy()
        data[self.add_prefix("version")] = conflict.current_version
        self.data = data


def edit_conflict_rows(conflict, form=None) -> list[dict]:
    """Rows for the conflict table: each changed field as opened, as it is now, and as the user typed it."""
    rows = []
    cleaned = getattr(form, "cleaned_data", None) or {}
    for change in conflict.changes:
        name = change["field"]
        yours = cleaned.get(name, form.data.get(name) if form is not None and name in form.fields else None)
        choices = getattr(form.fields.get(name), "choices", None) if form is not None else None
        if choices is not None and not hasattr(yours, "pk"):
            yours = dict(choices).get(yours, yours)
        rows.append(
            {
                **change,
                "yours": "" if yours is None else str(yours),
                "in_form": form is not None and name in form.fields,
            }
        )
    return rows
