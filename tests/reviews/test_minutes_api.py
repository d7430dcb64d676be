"""Minutes through the API: attendance, minutes, decisions and actions, start, sign, amend; both sides of each rule."""

import datetime

import pytest
from django.utils import timezone

from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MinutesAmendment
from reviews.services import minutes as services
from tests.conftest import PASSWORD
from tests.leadership.factories import PersonFactory
from tests.reviews.factories import MeetingFactory
from tests.reviews.factories_minutes import complete, grow_minutes, held_meeting

pytestmark = pytest.mark.django_db

RECORDERS = ["ceo", "mgmt_rep", "dept_manager", "qa"]


def due(days=14) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# Reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "qa", "auditor", "employee"])
def test_staff_and_auditors_read_minutes_decisions_and_attendance(request, api_as, ceo, persona):
    meeting = held_meeting(chair=ceo)
    decision = services.decision_add(actor=ceo, meeting=meeting, text="Buy a second CMM")
    api = api_as(request.getfixturevalue(persona))
    minutes = api.get(f"/api/meetings/{meeting.pk}/minutes/")
    assert minutes.status_code == 200
    assert minutes.json()["decisions"][0]["label"] == "D1"
    assert minutes.json()["signature_intact"] is None
    assert api.get(f"/api/decisions/{decision.pk}/").json()["text"] == "Buy a second CMM"
    assert api.get("/api/attendance/", {"meeting": meeting.pk}).json()["count"] == 1


def test_outsiders_get_403_and_anonymous_callers_401(api_as, api_client, ceo, outsider):
    meeting = held_meeting(chair=ceo)
    urls = (f"/api/meetings/{meeting.pk}/minutes/", "/api/decisions/", "/api/attendance/")
    assert [api_client.get(url).status_code for url in urls] == [401, 401, 401]
    api = api_as(outsider)
    assert [api.get(url).status_code for url in urls] == [403, 403, 403]


@pytest.mark.parametrize("rows", [2, 30])
def test_the_decision_list_runs_a_fixed_number_of_queries(api_as, ceo, qa, rows, django_assert_num_queries):
    meeting = held_meeting(chair=ceo, items=0)
    grow_minutes(meeting, items=rows, decisions=rows, actions=rows * 2, attendees=0)
    api = api_as(qa)
    # token and user, permissions (user + groups), count, the page of decisions (meeting, owner joined),
    # their actions (owner joined), their resource requests, their target revisions.
    with django_assert_num_queries(8):
        assert api.get("/api/decisions/").json()["count"] == rows


# Recording ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", RECORDERS)
def test_minute_takers_start_mark_write_and_decide_through_the_api(request, api_as, persona, dept_manager):
    user = request.getfixturevalue(persona)
    meeting = MeetingFactory(chair=dept_manager.person)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Scrap")
    api = api_as(user)
    started = api.post(f"/api/meetings/{meeting.pk}/start/")
    assert started.status_code == 200
    assert started.json()["status"] == "held"
    attendee = Attendee.objects.filter(meeting=meeting).first()
    assert api.patch(f"/api/attendance/{attendee.pk}/", {"status": "apologies"}).json()["status"] == "apologies"
    guest = PersonFactory()
    added = api.post("/api/attendance/", {"meeting": meeting.pk, "person": guest.pk, "note": "for Sales"})
    assert added.status_code == 201
    assert added.json()["person_name"] == guest.full_name
    assert api.put(f"/api/agenda-items/{item.pk}/minutes/", {"minutes": "Scrap 2.1%"}).json()["minutes"] == "Scrap 2.1%"
    created = api.post("/api/decisions/", {"meeting": meeting.pk, "agenda_item": item.pk, "text": "Start SPC on 4471"})
    assert created.status_code == 201
    assert created.json()["label"] == "D1"
    decision_id = created.json()["id"]
    assert api.patch(f"/api/decisions/{decision_id}/", {"text": "Start SPC on the 4471 bore"}).status_code == 200
    action = api.post(
        f"/api/decisions/{decision_id}/actions/",
        {"title": "Set up the SPC chart", "owner": dept_manager.person.pk, "due_date": due(), "priority": "high"},
    )
    assert action.status_code == 201
    assert action.json()["reference"].startswith("ACT-")
    assert Action.objects.get().decision_id == decision_id


@pytest.mark.parametrize("persona", ["auditor", "employee"])
def test_readers_change_nothing(request, api_as, ceo, persona):
    meeting = held_meeting(chair=ceo, items=1)
    planned = MeetingFactory(chair=ceo.person)
    item = meeting.agenda_items.get()
    attendee = meeting.attendees.get()
    decision = services.decision_add(actor=ceo, meeting=meeting, text="Keep")
    api = api_as(request.getfixturevalue(persona))
    calls = [
        api.post(f"/api/meetings/{planned.pk}/start/"),
        api.patch(f"/api/attendance/{attendee.pk}/", {"status": "absent"}),
        api.post("/api/attendance/", {"meeting": meeting.pk, "person": PersonFactory().pk}),
        api.put(f"/api/agenda-items/{item.pk}/minutes/", {"minutes": "x"}),
        api.post("/api/decisions/", {"meeting": meeting.pk, "text": "x"}),
        api.patch(f"/api/decisions/{decision.pk}/", {"text": "x"}),
        api.post(f"/api/decisions/{decision.pk}/actions/", {"title": "x", "owner": ceo.person.pk, "due_date": due()}),
        api.post(f"/api/meetings/{meeting.pk}/sign/", {"password": PASSWORD}),
        api.post(f"/api/meetings/{meeting.pk}/amend/", {"password": PASSWORD, "reason": "r", "amended_text": "x"}),
    ]
    assert [c.status_code for c in calls] == [403] * len(calls)
    assert Decision.objects.get().text == "Keep"
    assert not Action.objects.exists()


def test_rules_answer_409_and_bad_input_400_naming_the_field(api_as, ceo, qa):
    planned = MeetingFactory(chair=ceo.person)
    api = api_as(qa)
    early = api.post("/api/decisions/", {"meeting": planned.pk, "text": "Too early"})
    assert early.status_code == 409
    assert "has not started" in early.json()["detail"]
    review = held_meeting(chair=ceo, review=True)
    missing = api.post("/api/decisions/", {"meeting": review.pk, "text": "Buy gauges"})
    assert missing.status_code == 400
    assert "output_category" in missing.json()
    meeting = held_meeting(chair=ceo)
    attendee = meeting.attendees.get()
    invited = api.patch(f"/api/attendance/{attendee.pk}/", {"status": "invited"})
    assert invited.status_code == 400
    assert "status" in invited.json()


# Signing and amending -----------------------------------------------------------------------


def test_only_the_chair_signs_with_the_password_complete_minutes(api_as, ceo, dept_manager, employee):
    meeting = held_meeting(chair=ceo, attendees=[employee.person])
    url = f"/api/meetings/{meeting.pk}/sign/"
    not_chair = api_as(dept_manager).post(url, {"password": PASSWORD})
    assert not_chair.status_code == 403
    assert "Only the chair" in not_chair.json()["detail"]
    incomplete = api_as(ceo).post(url, {"password": PASSWORD})
    assert incomplete.status_code == 409
    assert len(incomplete.json()["missing"]) == 2
    complete(meeting)
    wrong = api_as(ceo).post(url, {"password": "wrong"})
    assert wrong.status_code == 400
    assert "password" in wrong.json()
    signed = api_as(ceo).post(url, {"password": PASSWORD})
    assert signed.status_code == 200
    body = signed.json()
    assert body["status"] == "signed"
    assert body["signature_intact"] is True
    assert body["signature"]["meaning"] == "approved"
    again = api_as(ceo).post(url, {"password": PASSWORD})
    assert again.status_code == 409
    late = api_as(ceo).post("/api/decisions/", {"meeting": meeting.pk, "text": "Afterthought"})
    assert late.status_code == 409


def test_signed_minutes_are_amended_by_the_chair_with_a_reason(api_as, ceo, qa):
    meeting = complete(held_meeting(chair=ceo))
    decision = services.decision_add(actor=qa, meeting=meeting, text="Target 2.5%")
    url = f"/api/meetings/{meeting.pk}/amend/"
    data = {"password": PASSWORD, "reason": "Misheard", "amended_text": "Target 2.0%", "decision": decision.pk}
    assert api_as(ceo).post(url, data).status_code == 409
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    assert api_as(qa).post(url, data).status_code == 403
    assert api_as(ceo).post(url, {**data, "reason": ""}).status_code == 400
    response = api_as(ceo).post(url, data)
    assert response.status_code == 201
    assert response.json()["original_text"] == "Target 2.5%"
    assert response.json()["signature"]["meaning"] == "authored"
    assert MinutesAmendment.objects.count() == 1
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SIGNED
