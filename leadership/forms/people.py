from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_text_html

from leadership.models import Department, Person
from leadership.roles import Role

User = get_user_model()


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "code", "parent", "head", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = Person.objects.select_related("user").filter(user__is_active=True)
        self.fields["parent"].queryset = Department.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=self.instance.pk)
        else:
            del self.fields["is_active"]


class PersonForm(forms.Form):
    """Account and profile of a person in one form; the service writes both together."""

    username = forms.CharField(max_length=150, help_text="Used to log in. Letters, digits and @/./+/-/_ only.")
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    job_title = forms.CharField(max_length=120, required=False)
    department = forms.ModelChoiceField(queryset=Department.objects.filter(is_active=True), required=False)
    manager = forms.ModelChoiceField(
        queryset=Person.objects.select_related("user").filter(user__is_active=True), required=False
    )
    phone = forms.CharField(max_length=40, required=False)
    roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple, initial=[Role.EMPLOYEE]
    )
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="Leave empty to let the person set one through a password reset. "
        + password_validators_help_text_html(),
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Account active")

    def __init__(self, *args, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if person is not None:
            # The username and password are not changed from here.
            del self.fields["username"]
            del self.fields["password"]
            self.fields["manager"].queryset = self.fields["manager"].queryset.exclude(pk=person.pk)
        else:
            del self.fields["is_active"]
