"""The action register's API: list, read, raise, change, and the lifecycle actions, both ways."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from reviews.models.actions import Action
from tests.leadership.factories import PersonFactory
from tests.objectives.factories_risks import RiskFactory
from tests.reviews.factories import ActionFactory
from tests.reviews.factories_actions import action_from, done_action, grow_actions

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
WRITERS = ["ceo", "mgmt_rep", "dept_manager", "qa"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def url(name, *args):
    return reverse(f"action-{name}", args=args)


def create_body(**overrides) -> dict:
    owner = overrides.pop("owner", None) or PersonFactory()
    risk = overrides.pop("risk", None) or RiskFactory()
    return {
        "source": "risk",
        "record": risk.pk,
        "title": "Second source for 6082-T6 bar",
        "owner": owner.pk,
        "due_date": "2026-05-01",
        "priority": "high",
        **overrides,
    }


# Reading -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_staff_and_auditors_read_the_register(request, api_as, persona):
    action = action_from(Action.Source.RISK, due_date=TODAY - datetime.timedelta(days=5))
    client = api_as(request.getfixturevalue(persona))
    listing = client.get(url("list"))
    assert listing.status_code == 200
    row = listing.json()["results"][0]
    assert row["reference"] == action.reference
    assert (row["overdue"], row["days_overdue"]) == (True, 5)
    assert (row["source"], row["source_record"], row["source_label"]) == ("risk", action.risk_id, action.risk.reference)
    assert client.get(url("detail", action.pk)).status_code == 200


def test_outsiders_and_anonymous_callers_are_refused(api_as, api_client, outsider):
    action = ActionFactory()
    assert api_client.get(url("list")).status_code == 401
    assert api_as(outsider).get(url("list")).status_code == 403
    assert api_as(outsider).get(url("detail", action.pk)).status_code == 403


def test_list_uses_the_register_filters(api_as, qa):
    late = ActionFactory(due_date=TODAY - datetime.timedelta(days=1))
    ActionFactory()
    done_action()
    client = api_as(qa)
    assert [r["id"] for r in client.get(url("list"), {"overdue": "true"}).json()["results"]] == [late.pk]
    assert client.get(url("list"), {"status": "active"}).json()["count"] == 2
    assert client.get(url("list"), {"status": "bogus"}).status_code == 400


@pytest.mark.parametrize("rows", [3, 60])
def test_list_endpoint_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    grow_actions(rows)
    client = api_as(auditor)
    # token and user, permissions (user + group), count for pagination, the page of actions
    # (owner, department, verifier and source records joined).
    with django_assert_num_queries(5):
        assert client.get(url("list")).status_code == 200


def test_mine_lists_the_callers_own_actions_for_any_role(api_as, employee, outsider):
    mine = ActionFactory(owner=employee.person)
    ActionFactory()
    assert [r["id"] for r in api_as(employee).get(url("mine")).json()["results"]] == [mine.pk]
    assert api_as(outsider).get(url("mine")).json()["results"] == []


def test_awaiting_verification_is_for_verifiers(api_as, mgmt_rep, employee):
    waiting = done_action()
    assert [r["id"] for r in api_as(mgmt_rep).get(url("awaiting-verification")).json()["results"]] == [waiting.pk]
    assert api_as(employee).get(url("awaiting-verification")).status_code == 403


# Raising and changing ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", WRITERS)
def test_those_who_keep_the_register_raise_actions(request, api_as, persona):
    user = request.getfixturevalue(persona)
    response = api_as(user).post(url("list"), create_body(), format="json")
    assert response.status_code == 201, response.json()
    action = Action.objects.get()
    assert response.json()["reference"] == action.reference
    assert action.created_by == user
    assert action.department == action.owner.department


@pytest.mark.parametrize("persona", ["auditor", "employee", "outsider"])
def test_others_cannot_raise_actions(request, api_as, persona):
    response = api_as(request.getfixturevalue(persona)).post(url("list"), create_body(), format="json")
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_raising_from_a_missing_record_names_the_field(api_as, qa):
    response = api_as(qa).post(url("list"), create_body(record=9999), format="json")
    assert response.status_code == 400
    assert "No risk or opportunity with id 9999." in response.json()["record"][0]


def test_changing_an_action(api_as, qa):
    action = ActionFactory()
    response = api_as(qa).patch(url("detail", action.pk), {"priority": "critical"}, format="json")
    assert response.status_code == 200
    assert response.json()["priority"] == "critical"


def test_changing_a_done_action_is_a_conflict(api_as, qa):
    response = api_as(qa).patch(url("detail", done_action().pk), {"title": "Rewrite"}, format="json")
    assert response.status_code == 409
    assert "done, awaiting verification" in response.json()["detail"]


@pytest.mark.parametrize("persona", ["auditor", "employee"])
def test_others_cannot_change_actions(request, api_as, persona):
    action = ActionFactory()
    client = api_as(request.getfixturevalue(persona))
    assert client.patch(url("detail", action.pk), {"title": "x"}, format="json").status_code == 403
    assert client.delete(url("detail", action.pk)).status_code in (403, 405)
    assert Action.objects.filter(pk=action.pk, title=action.title).exists()


# Lifecycle -----------------------------------------------------------------------------------------


def test_owner_without_change_permission_starts_and_completes_their_own_action(api_as, employee):
    action = ActionFactory(owner=employee.person)
    client = api_as(employee)
    assert client.post(url("start", action.pk)).json()["status"] == "in-progress"
    response = client.post(url("complete", action.pk), {"completion_note": "Guard fitted."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "done"


def test_owner_cannot_verify_their_own_action(api_as, qa):
    action = done_action(owner=qa.person)
    response = api_as(qa).post(url("verify", action.pk), {"effective": True, "note": "ok"}, format="json")
    assert response.status_code == 403
    assert "someone other than the owner" in response.json()["detail"]


def test_employee_cannot_verify_or_move_someone_elses_action(api_as, employee):
    action = ActionFactory()
    client = api_as(employee)
    assert client.post(url("start", action.pk)).status_code == 403
    assert client.post(url("complete", action.pk), {"completion_note": "x"}, format="json").status_code == 403
    done = done_action()
    assert client.post(url("verify", done.pk), {"effective": True, "note": "x"}, format="json").status_code == 403


@pytest.mark.parametrize("name", ["start", "complete", "verify", "reopen"])
def test_auditor_is_refused_every_transition(api_as, auditor, name):
    action = done_action() if name in ("verify", "reopen") else ActionFactory()
    body = {"completion_note": "x", "effective": True, "note": "x"}
    assert api_as(auditor).post(url(name, action.pk), body, format="json").status_code == 403


def test_anonymous_transition_is_401(api_client):
    assert api_client.post(url("start", ActionFactory().pk)).status_code == 401


def test_verify_effective_and_reopen(api_as, dept_manager, qa):
    first, second = done_action(), done_action()
    verified = api_as(dept_manager).post(
        url("verify", first.pk), {"effective": True, "note": "No escapes in 10 lots."}, format="json"
    )
    assert verified.status_code == 200
    assert (verified.json()["status"], verified.json()["verified_by"]) == ("verified", dept_manager.person.pk)
    reopened = api_as(qa).post(
        url("reopen", second.pk), {"note": "Escapes continue.", "new_due_date": "2026-04-15"}, format="json"
    )
    assert reopened.status_code == 200
    body = reopened.json()
    assert (body["status"], body["reopened_count"], body["due_date"]) == ("reopened", 1, "2026-04-15")


def test_a_transition_in_the_wrong_status_is_409_naming_the_status(api_as, qa):
    action = ActionFactory()
    response = api_as(qa).post(url("verify", action.pk), {"effective": True, "note": "x"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"{action.reference} is open: only done actions can be verified.",
        "status": "open",
    }


def test_bad_input_is_400_naming_the_field(api_as, qa):
    action = ActionFactory()
    response = api_as(qa).post(url("complete", action.pk), {"completion_note": "  "}, format="json")
    assert response.status_code == 400
    assert "completion_note" in response.json()
    verify = api_as(qa).post(url("verify", done_action().pk), {"effective": True}, format="json")
    assert verify.status_code == 400
    assert "note" in verify.json()
