"""Auditor access pages and API: the account list, granting, editing and inviting, both ways."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from evidence.models import AuditorAccess
from leadership.roles import Role
from tests.evidence.factories_access import AuditorAccessFactory, auditor_account
from tests.leadership.factories import PersonFactory

pytestmark = pytest.mark.django_db

LIST = "evidence:auditor-access-list"
READERS = ["ceo", "mgmt_rep", "auditor"]
NOT_READERS = ["dept_manager", "qa", "employee", "outsider"]
NOT_GRANTORS = ["ceo", "dept_manager", "qa", "auditor", "employee", "outsider"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def period(**overrides):
    return {
        "organisation": "Meridian Certification Ltd",
        "valid_from": "2026-11-10",
        "valid_until": "2026-12-10",
        "note": "Surveillance audit 2026",
        **overrides,
    }


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_every_auditor_account_with_its_status(client_as, persona, request):
    AuditorAccessFactory(
        user=auditor_account(), valid_from=datetime.date(2026, 11, 1), valid_until=datetime.date(2026, 11, 30)
    )
    AuditorAccessFactory(
        user=auditor_account(username="old", first_name="Otto", last_name="Old"),
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2026, 2, 1),
    )
    AuditorAccessFactory(
        user=auditor_account(username="new", first_name="Nina", last_name="New"),
        valid_from=datetime.date(2026, 12, 1),
        valid_until=datetime.date(2026, 12, 5),
    )
    PersonFactory(user__first_name="Robert", user__last_name="Lang", roles=[Role.AUDITOR.value, Role.EMPLOYEE.value])

    response = client_as(request.getfixturevalue(persona)).get(reverse(LIST))

    assert response.status_code == 200
    text = response.text
    for name in ("Claire Dubois", "Otto Old", "Nina New", "Robert Lang"):
        assert name in text
    assert "Meridian Certification Ltd" in text
    for badge in (">Active<", ">Expired<", ">Not yet valid<", ">No end date<"):
        assert badge in text
    assert "30 Nov 2026" in text


@pytest.mark.parametrize("persona", NOT_READERS)
def test_other_roles_cannot_see_the_auditor_accounts(client_as, persona, request):
    assert client_as(request.getfixturevalue(persona)).get(reverse(LIST)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse(LIST))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_list_filters_by_status_with_htmx(client_as, mgmt_rep):
    AuditorAccessFactory(user=auditor_account(), valid_until=datetime.date(2026, 11, 30))
    AuditorAccessFactory(
        user=auditor_account(username="old", first_name="Otto", last_name="Old"),
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2026, 2, 1),
    )

    response = client_as(mgmt_rep).get(reverse(LIST), {"status": "expired"}, HTTP_HX_REQUEST="true")

    assert "Otto Old" in response.text
    assert "Claire Dubois" not in response.text
    assert "<html" not in response.text


def test_buttons_show_only_to_those_who_may_grant(client_as, mgmt_rep, ceo):
    AuditorAccessFactory(user=auditor_account())

    assert "Invite an external auditor" in client_as(mgmt_rep).get(reverse(LIST)).text
    page = client_as(ceo).get(reverse(LIST)).text
    assert "Invite an external auditor" not in page
    assert "Edit" not in page


@pytest.mark.parametrize("rows", [3, 60])
def test_list_query_count_does_not_grow(client_as, mgmt_rep, rows, django_assert_num_queries):
    for n in range(rows):
        AuditorAccessFactory(user=auditor_account(username=f"ext{n}", first_name="Ext", last_name=f"{n}"))
    client = client_as(mgmt_rep)
    # session, user, permissions (2), role badge groups, count, the page of accounts with access,
    # grantor and person, their groups (prefetch).
    with django_assert_num_queries(8):
        assert client.get(reverse(LIST)).status_code == 200


def test_the_representative_grants_a_period_to_an_auditor_account(client_as, mgmt_rep):
    claire = auditor_account()
    client = client_as(mgmt_rep)
    assert client.get(reverse("evidence:auditor-access-create") + f"?user={claire.pk}").status_code == 200

    response = client.post(reverse("evidence:auditor-access-create"), period(user=claire.pk))

    assert response.status_code == 302
    access = AuditorAccess.objects.get(user=claire)
    assert (access.valid_from, access.valid_until, access.granted_by) == (
        datetime.date(2026, 11, 10),
        datetime.date(2026, 12, 10),
        mgmt_rep,
    )


def test_a_too_long_period_is_shown_on_the_form_and_nothing_saved(client_as, mgmt_rep):
    claire = auditor_account()

    response = client_as(mgmt_rep).post(
        reverse("evidence:auditor-access-create"), period(user=claire.pk, valid_until="2028-01-01")
    )

    assert response.status_code == 200
    assert "Access may last at most one year" in response.text
    assert not AuditorAccess.objects.exists()


def test_the_representative_extends_a_period(client_as, mgmt_rep):
    access = AuditorAccessFactory(user=auditor_account())
    url = reverse("evidence:auditor-access-update", args=[access.pk])
    client = client_as(mgmt_rep)
    assert "2026-11-30" in client.get(url).text

    response = client.post(url, period(valid_from="2026-11-01", valid_until="2026-12-15"))

    assert response.status_code == 302
    access.refresh_from_db()
    assert access.valid_until == datetime.date(2026, 12, 15)


@pytest.mark.parametrize("persona", NOT_GRANTORS)
def test_other_roles_cannot_grant_edit_or_invite(client_as, persona, request):
    access = AuditorAccessFactory(user=auditor_account())
    other = auditor_account(username="j.meyer", first_name="Jonas", last_name="Meyer")
    client = client_as(request.getfixturevalue(persona))

    assert client.post(reverse("evidence:auditor-access-create"), period(user=other.pk)).status_code == 403
    update = reverse("evidence:auditor-access-update", args=[access.pk])
    assert client.post(update, period(valid_until="2026-12-31")).status_code == 403
    invite = {"first_name": "A", "last_name": "B", "email": "a@b.example", "username": "ab", **period()}
    assert client.post(reverse("evidence:auditor-access-invite"), invite).status_code == 403
    access.refresh_from_db()
    assert access.valid_until == datetime.date(2026, 11, 30)
    assert AuditorAccess.objects.count() == 1


def test_the_representative_invites_an_external_auditor(client_as, mgmt_rep, django_capture_on_commit_callbacks):
    data = {
        "first_name": "Claire",
        "last_name": "Dubois",
        "email": "claire.dubois@meridian-cert.example",
        "username": "c.dubois",
        "job_title": "Lead Auditor",
        **period(),
    }
    client = client_as(mgmt_rep)
    assert client.get(reverse("evidence:auditor-access-invite")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evidence:auditor-access-invite"), data)

    assert response.status_code == 302
    user = get_user_model().objects.get(username="c.dubois")
    assert [g.name for g in user.groups.all()] == [Role.AUDITOR.value]
    assert user.auditor_access.organisation == "Meridian Certification Ltd"


def test_an_invitation_with_a_taken_username_shows_the_error(client_as, mgmt_rep):
    auditor_account(username="c.dubois")
    data = {"first_name": "Claire", "last_name": "Dubois", "email": "c@m.example", "username": "c.dubois", **period()}

    response = client_as(mgmt_rep).post(reverse("evidence:auditor-access-invite"), data)

    assert response.status_code == 200
    assert "already taken" in response.text
    assert not AuditorAccess.objects.exists()


# API --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_readers_list_access_periods_through_the_api(api_as, persona, request):
    access = AuditorAccessFactory(user=auditor_account())

    response = api_as(request.getfixturevalue(persona)).get("/api/auditor-access/")

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["id"] == access.pk
    assert (row["username"], row["name"], row["status"]) == ("c.dubois", "Claire Dubois", "active")


@pytest.mark.parametrize("persona", NOT_READERS)
def test_other_roles_cannot_list_access_periods_through_the_api(api_as, persona, request):
    assert api_as(request.getfixturevalue(persona)).get("/api/auditor-access/").status_code == 403


def test_the_access_api_is_read_only_and_needs_credentials(api_as, api_client, mgmt_rep):
    assert api_client.get("/api/auditor-access/").status_code == 401
    assert api_as(mgmt_rep).post("/api/auditor-access/", {}).status_code == 405
