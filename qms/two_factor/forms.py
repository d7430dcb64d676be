from django import forms

from qms.two_factor.devices import CODE_MISSING

CODE_WIDGET = forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"})


class CodeForm(forms.Form):
    """A code from the authenticator app (or, where the label says so, a recovery code)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        widget=CODE_WIDGET,
        error_messages={"required": CODE_MISSING},
    )

    def __init__(self, *args, label: str = "", help_text: str = "", autofocus: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if autofocus:
            self.fields["code"].widget.attrs["autofocus"] = True
        if label:
            self.fields["code"].label = label
        if help_text:
            self.fields["code"].help_text = help_text


class DisableForm(forms.Form):
    """Turning two-factor authentication off: the password and a current code."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="Lost the phone? One of your recovery codes works too.",
        error_messages={"required": CODE_MISSING},
    )
