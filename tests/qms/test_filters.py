"""The filter bars' model choices: written in one pass, the same as Django's own <select>."""

import pytest
from django import forms
from django.test.html import parse_html

from qms.filters import OnePassSelect
from reviews.filters.actions import ActionFilterSet
from reviews.models.actions import Action
from tests.leadership.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_model_choices_render_as_django_renders_them_with_the_choice_selected_and_names_escaped():
    people = [PersonFactory(user__first_name="Ann <b>", user__last_name="O'Neil & Co"), PersonFactory()]
    filterset = ActionFilterSet({"owner": str(people[1].pk)}, queryset=Action.objects.all())

    field = filterset.form.fields["owner"]
    ours = str(filterset.form["owner"])
    django = forms.Select(attrs=field.widget.attrs, choices=field.choices).render(
        "owner", str(people[1].pk), attrs={"id": "id_owner"}
    )

    assert isinstance(field.widget, OnePassSelect)
    assert parse_html(ours) == parse_html(django)
    assert "Ann &lt;b&gt;" in ours
    assert f'<option value="{people[1].pk}" selected>' in ours


def test_plain_choice_filters_keep_django_select():
    filterset = ActionFilterSet({}, queryset=Action.objects.all())
    assert type(filterset.form.fields["status"].widget) is forms.Select
