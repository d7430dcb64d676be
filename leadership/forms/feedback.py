"""Forms of the employee quality feedback box (5.1.1.h)."""

from django import forms

from leadership.models import Department
from leadership.models.feedback import EmployeeFeedback
from qms.forms import VersionedFormMixin


class EmployeeFeedbackForm(forms.ModelForm):
    anonymous = forms.BooleanField(
        required=False,
        label="Send anonymously",
        help_text="Your name is then not stored anywhere, not even in the change history: nobody, administrators "
        "included, can find out who sent it. You get a follow-up code instead, shown once, to check the answer.",
    )

    class Meta:
        model = EmployeeFeedback
        fields = ["kind", "title", "department", "description", "anonymous"]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 6})}
        labels = {"kind": "This is a", "department": "Department concerned"}
        help_texts = {
            "description": "What happened or what you suggest: where, when, which part or process. "
            "Leave out anything that identifies you if you send it anonymously."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = EmployeeFeedback.Kind.choices
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        self.fields["department"].required = False
        self.fields["department"].empty_label = "Not about one department"


class AnswerForm(VersionedFormMixin):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="The reporter reads this answer.")


class FollowUpForm(forms.Form):
    code = forms.CharField(
        max_length=40,
        label="Follow-up code",
        help_text="The code shown when you sent the feedback, e.g. ABCD-EFGH-JKLM-NPQR-STUV.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
