"""Forms of the quality policy pages; views hand their cleaned data to the services."""

from django import forms

from leadership.models.policy import CONFIRMATIONS, PolicyShareLink, PolicyVersion


class PolicyVersionForm(forms.ModelForm):
    """A draft version: its text, the strategy it fits and the author's 5.2.1 confirmations."""

    class Meta:
        model = PolicyVersion
        fields = [
            "title",
            "text",
            "strategy_context",
            "change_summary",
            *(field for field, _req, _text in CONFIRMATIONS),
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 16}),
            "strategy_context": forms.Textarea(attrs={"rows": 4}),
            "change_summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "text": "Plain text; a blank line starts a new paragraph.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, req, text in CONFIRMATIONS:
            self.fields[field].label = f"{req}: the policy {text}"
            self.fields[field].help_text = ""
        self.fields["confirms_purpose_and_strategy"].help_text = (
            "Tick each element only when the text above really contains it: a version missing any cannot "
            "be submitted for approval."
        )


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What must change before you can approve it. The author sees this.",
    )


class ShareLinkForm(forms.ModelForm):
    class Meta:
        model = PolicyShareLink
        fields = ["label"]


class CompareForm(forms.Form):
    """Two versions to compare; the choices are loaded once for both drop-downs."""

    a = forms.TypedChoiceField(coerce=int, label="Older version")
    b = forms.TypedChoiceField(coerce=int, label="Newer version")

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {v.pk: v for v in versions}
        choices = [
            (v.pk, f"Version {v.number}" + (" (in force)" if v.status == v.Status.PUBLISHED else ""))
            for v in self.versions.values()
        ]
        for name in ("a", "b"):
            self.fields[name].choices = choices
            self.fields[name].widget.attrs["class"] = "form-select"
        if not self.is_bound and len(choices) > 1:
            self.initial.setdefault("a", choices[1][0])
            self.initial.setdefault("b", choices[0][0])

    def clean(self):
        data = super().clean()
        for name in ("a", "b"):
            if name in data:
                data[name] = self.versions[data[name]]
        return data
