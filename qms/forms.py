from django import forms
from django.contrib.auth.forms import AuthenticationForm

from qms.auth import run_login_checks


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


def add_service_errors(form, exc) -> None:
    """Show a service's ValidationError on the form: on the named field, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class SignForm(forms.Form):
    """The password re-entry that every e-signature asks for."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Signing is like a handwritten signature: type your password again to confirm it is you.",
    )
