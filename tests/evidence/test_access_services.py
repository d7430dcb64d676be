"""Auditor access services: who may be limited, how long, and inviting an external auditor."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError

from evidence.models import AuditorAccess
from evidence.services import access as services
from leadership.roles import Role
from tests.evidence.factories_access import auditor_account
from tests.leadership.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    """Tuesday 10 Nov 2026."""
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


D = datetime.date


NOVEMBER = (D(2026, 11, 1), D(2026, 11, 30))


def grant(actor, user, valid_from=NOVEMBER[0], valid_until=NOVEMBER[1], **kwargs):
    return services.auditor_access_create(
        actor=actor, user=user, valid_from=valid_from, valid_until=valid_until, **kwargs
    )


def test_an_auditor_account_is_given_a_period_by_the_representative(mgmt_rep):
    """The period is stored with who granted it, and the history names the same person."""
    claire = auditor_account()

    access = grant(mgmt_rep, claire, organisation="Meridian Certification Ltd", note="Surveillance audit 2026")

    assert access.granted_by == mgmt_rep
    assert access.organisation == "Meridian Certification Ltd"
    assert access.history.first().history_user == mgmt_rep


def test_the_period_must_not_end_before_it_starts(mgmt_rep):
    with pytest.raises(ValidationError) as exc:
        grant(mgmt_rep, auditor_account(), valid_from=D(2026, 11, 20), valid_until=D(2026, 11, 19))

    assert "on or after the day it starts" in exc.value.message_dict["valid_until"][0]
    assert not AuditorAccess.objects.exists()


def test_the_period_lasts_at_most_one_year(mgmt_rep):
    """From 1 Nov 2026 the last allowed day is 31 Oct 2027; one day more is refused, naming that day."""
    with pytest.raises(ValidationError) as exc:
        grant(mgmt_rep, auditor_account(), valid_from=D(2026, 11, 1), valid_until=D(2027, 11, 1))
    assert "must end by 31 Oct 2027" in exc.value.message_dict["valid_until"][0]

    other = auditor_account(username="j.meyer", first_name="Jonas", last_name="Meyer")
    access = grant(mgmt_rep, other, valid_from=D(2026, 11, 1), valid_until=D(2027, 10, 31))
    assert access.valid_until == D(2027, 10, 31)


def test_only_accounts_holding_the_auditor_role_can_be_limited(mgmt_rep, employee):
    with pytest.raises(ValidationError) as exc:
        grant(mgmt_rep, employee)

    assert "does not hold the Auditor role" in exc.value.message_dict["user"][0]


def test_an_auditor_who_also_holds_another_role_is_not_limited(mgmt_rep):
    """An internal auditor who is also an employee would be locked out of their own work."""
    robert = PersonFactory(roles=[Role.AUDITOR.value, Role.EMPLOYEE.value]).user

    with pytest.raises(ValidationError) as exc:
        grant(mgmt_rep, robert)

    assert "also holds Employee" in exc.value.message_dict["user"][0]


def test_an_account_has_one_period_at_most(mgmt_rep):
    claire = auditor_account()
    grant(mgmt_rep, claire)

    with pytest.raises(ValidationError) as exc:
        grant(mgmt_rep, claire)

    assert "edit that one" in exc.value.message_dict["user"][0]


def test_a_period_that_is_over_already_is_not_granted(mgmt_rep):
    with pytest.raises(ValidationError) as exc:
        grant(mgmt_rep, auditor_account(), valid_from=D(2026, 10, 1), valid_until=D(2026, 11, 9))

    assert "over already" in exc.value.message_dict["valid_until"][0]


def test_extending_a_period_records_who_extended_it(mgmt_rep, ceo):
    access = grant(ceo, auditor_account())

    services.auditor_access_update(actor=mgmt_rep, access=access, valid_until=D(2026, 12, 15), note="Findings closing")

    access.refresh_from_db()
    assert access.valid_until == D(2026, 12, 15)
    assert access.granted_by == mgmt_rep
    assert access.history.first().history_user == mgmt_rep
    assert access.history.last().granted_by == ceo


def test_changing_only_the_note_keeps_who_granted_it(mgmt_rep, ceo):
    access = grant(ceo, auditor_account())

    services.auditor_access_update(actor=mgmt_rep, access=access, note="Stage 2")

    access.refresh_from_db()
    assert access.granted_by == ceo


def test_an_update_is_checked_like_a_grant(mgmt_rep):
    access = grant(mgmt_rep, auditor_account())

    with pytest.raises(ValidationError):
        services.auditor_access_update(actor=mgmt_rep, access=access, valid_until=D(2028, 1, 1))

    access.refresh_from_db()
    assert access.valid_until == D(2026, 11, 30)


def test_inviting_creates_an_auditor_only_account_its_period_and_sends_the_invitation(
    mgmt_rep, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        access = services.auditor_invite(
            actor=mgmt_rep,
            username="c.dubois",
            first_name="Claire",
            last_name="Dubois",
            email="claire.dubois@meridian-cert.example",
            organisation="Meridian Certification Ltd",
            valid_from=D(2026, 11, 10),
            valid_until=D(2026, 12, 10),
        )

    user = access.user
    assert list(user.groups.values_list("name", flat=True)) == [Role.AUDITOR.value]
    assert not user.has_usable_password()
    assert user.person.job_title == "Auditor, Meridian Certification Ltd"
    assert access.granted_by == mgmt_rep
    assert [m.to for m in mail.outbox] == [["claire.dubois@meridian-cert.example"]]


def test_an_invitation_with_a_bad_period_creates_no_account(mgmt_rep, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        services.auditor_invite(
            actor=mgmt_rep,
            username="c.dubois",
            first_name="Claire",
            last_name="Dubois",
            email="claire.dubois@meridian-cert.example",
            valid_from=D(2026, 11, 10),
            valid_until=D(2028, 11, 10),
        )

    assert "valid_until" in exc.value.message_dict
    assert not get_user_model().objects.filter(username="c.dubois").exists()
    assert mail.outbox == []


def test_an_invitation_needs_an_email_address(mgmt_rep):
    with pytest.raises(ValidationError) as exc:
        services.auditor_invite(
            actor=mgmt_rep,
            username="c.dubois",
            first_name="Claire",
            last_name="Dubois",
            email="",
            valid_from=D(2026, 11, 10),
            valid_until=D(2026, 12, 10),
        )

    assert "invitation" in exc.value.message_dict["email"][0]
