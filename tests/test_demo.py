"""The demo organisation: one seeding per test, since seeding every area takes seconds."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from leadership.demo.people import DEMO_PASSWORD, PEOPLE
from leadership.models import Department, Person
from leadership.roles import Role

pytestmark = pytest.mark.django_db


def _counts():
    return Department.objects.count(), Person.objects.count(), get_user_model().objects.count()


def test_seed_demo_is_idempotent_prints_the_logins_and_every_login_works(capsys):
    call_command("seed_demo")
    first = _counts()
    out = capsys.readouterr().out

    call_command("seed_demo")

    assert _counts() == first == (6, len(PEOPLE), len(PEOPLE) + 1)
    assert f"password {DEMO_PASSWORD}" in out
    for username, *_ in PEOPLE:
        assert f"  {username} " in out
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD), username
        assert client.get("/").status_code == 200, username


def test_demo_covers_every_role_and_every_department_has_a_head():
    call_command("seed_demo", "--quiet-logins")

    held = set(Person.objects.values_list("user__groups__name", flat=True))
    assert set(Role.values) <= held
    assert not Department.objects.filter(head__isnull=True).exists()
