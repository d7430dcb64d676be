"""Forms of issued documents: the verification of a PDF or of its SHA-256."""

from django import forms


class VerifyForm(forms.Form):
    """Upload a PDF, or paste its SHA-256; the service checks which and how (nothing is stored)."""

    file = forms.FileField(
        label="PDF to check",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text="The file is read to compute its SHA-256 and is not kept.",
    )
    sha256 = forms.CharField(
        label="or its SHA-256",
        required=False,
        max_length=400,
        strip=False,
        widget=forms.TextInput(
            attrs={"placeholder": "64 hexadecimal characters", "autocomplete": "off", "spellcheck": "false"}
        ),
        help_text="Spaces, line breaks and capitals do not matter.",
    )
