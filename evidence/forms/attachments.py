"""Forms for audit evidence."""

from django import forms

from evidence.services.attachments import ACCEPTED_EXTENSIONS


class AttachmentForm(forms.Form):
    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}))
    description = forms.CharField(max_length=300, required=False)
