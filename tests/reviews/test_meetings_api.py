"""The meetings API: types and schedules, meetings, cancelling, agenda items, invitees, my meetings."""

import datetime
import zoneinfo

import pytest
import time_machine

from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Meeting, MeetingType
from tests.leadership.factories import PersonFactory
from tests.objectives.factories_risks import RiskFactory
from tests.reviews.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    MeetingFactory,
    MeetingTypeFactory,
)
from tests.reviews.factories_meetings import chair_person, grow_meetings, scheduled_type

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
TYPES = "/api/meeting-types/"
MEETINGS = "/api/meetings/"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def planned(**kwargs) -> Meeting:
    kwargs.setdefault("planned_start", NOW + datetime.timedelta(days=7))
    meeting = MeetingFactory(**kwargs)
    AttendeeFactory(meeting=meeting, person=meeting.chair)
    return meeting


def url(meeting, *parts) -> str:
    return f"{MEETINGS}{meeting.pk}/" + "".join(f"{p}/" for p in parts)


# Meeting types -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_every_role_reads_the_types(request, api_as, persona):
    meeting_type = MeetingTypeFactory()
    client = api_as(request.getfixturevalue(persona))

    assert client.get(TYPES).status_code == 200
    assert client.get(f"{TYPES}{meeting_type.pk}/").json()["name"] == meeting_type.name


def test_the_representative_adds_a_scheduled_type_and_plans_it(api_as, mgmt_rep):
    chair = chair_person()

    response = api_as(mgmt_rep).post(
        TYPES,
        {
            "name": "Monthly quality meeting",
            "category": "quality",
            "frequency": "monthly",
            "first_occurrence": "2026-01-14T10:00:00Z",
            "default_chair": chair.pk,
            "plan_ahead": 2,
            "plan": True,
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["default_chair_name"], body["upcoming_count"]) == (chair.full_name, 2)


def test_a_schedule_without_a_default_chair_answers_400_on_that_field(api_as, mgmt_rep):
    response = api_as(mgmt_rep).post(
        TYPES,
        {"name": "Monthly", "category": "quality", "frequency": "monthly", "first_occurrence": "2026-01-14T10:00Z"},
    )

    assert response.status_code == 400
    assert "default chair" in response.json()["default_chair"][0]


def test_updating_retiring_and_planning_a_type(api_as, mgmt_rep):
    meeting_type = scheduled_type(datetime.datetime(2026, 1, 14, 10, 0, tzinfo=LONDON), plan_ahead=1)
    client = api_as(mgmt_rep)

    assert client.patch(f"{TYPES}{meeting_type.pk}/", {"default_place": "Board room"}).json()["default_place"] == (
        "Board room"
    )
    assert client.post(f"{TYPES}{meeting_type.pk}/plan/").json() == {"planned": ["MTG-2026-001"]}
    assert client.post(f"{TYPES}{meeting_type.pk}/plan/").json() == {"planned": []}
    assert client.post(f"{TYPES}{meeting_type.pk}/deactivate/").json()["is_active"] is False
    response = client.post(f"{TYPES}{meeting_type.pk}/plan/")
    assert response.status_code == 409
    assert "no longer used" in response.json()["detail"]
    assert client.post(f"{TYPES}{meeting_type.pk}/activate/").json()["is_active"] is True


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "qa", "auditor", "employee"])
def test_only_the_representative_changes_types(request, api_as, persona):
    meeting_type = scheduled_type(datetime.datetime(2026, 1, 14, 10, 0, tzinfo=LONDON))
    client = api_as(request.getfixturevalue(persona))

    assert client.post(TYPES, {"name": "X", "category": "quality"}).status_code == 403
    assert client.patch(f"{TYPES}{meeting_type.pk}/", {"name": "Y"}).status_code == 403
    for name in ("deactivate", "activate", "plan"):
        assert client.post(f"{TYPES}{meeting_type.pk}/{name}/").status_code == 403
    assert MeetingType.objects.get().name == meeting_type.name
    assert not Meeting.objects.exists()


# Meetings ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_every_role_reads_the_meetings(request, api_as, persona):
    meeting = planned()
    AgendaItemFactory(meeting=meeting, title="Scrap and rework")
    client = api_as(request.getfixturevalue(persona))

    assert client.get(MEETINGS).json()["count"] == 1
    body = client.get(url(meeting)).json()
    assert [i["title"] for i in body["agenda_items"]] == ["Scrap and rework"]
    assert [a["person"] for a in body["attendees"]] == [meeting.chair_id]


def test_no_role_no_meetings_and_strangers_must_authenticate(api_as, api_client, outsider):
    planned()

    assert api_client.get(MEETINGS).status_code == 401
    assert api_as(outsider).get(MEETINGS).status_code == 403


def test_the_list_uses_the_pages_filters_and_order(api_as, qa):
    later = planned(title="Later", planned_start=NOW + datetime.timedelta(days=20))
    sooner = planned(title="Sooner", planned_start=NOW + datetime.timedelta(days=2))
    past = planned(title="Past", planned_start=NOW - datetime.timedelta(days=2), status="held", held_at=NOW)
    client = api_as(qa)

    assert [m["title"] for m in client.get(MEETINGS).json()["results"]] == [sooner.title, later.title, past.title]
    assert [m["title"] for m in client.get(MEETINGS, {"status": "held"}).json()["results"]] == [past.title]
    assert [m["title"] for m in client.get(MEETINGS, {"date_from": "2026-03-20"}).json()["results"]] == [later.title]


@pytest.mark.parametrize("rows", [3, 60])
def test_list_query_count_does_not_grow(api_as, qa, rows, django_assert_num_queries):
    grow_meetings(rows, NOW)
    client = api_as(qa)
    # token and user, permissions (user + group), count for pagination, the page of meetings.
    with django_assert_num_queries(5):
        assert client.get(MEETINGS).status_code == 200


def test_planning_a_meeting(api_as, qa):
    meeting_type = MeetingTypeFactory(default_place="Board room")
    chair, invitee = chair_person(), PersonFactory()

    response = api_as(qa).post(
        MEETINGS,
        {
            "type": meeting_type.pk,
            "title": "April quality meeting",
            "planned_start": "2026-04-08T10:00:00+01:00",
            "chair": chair.pk,
            "invitees": [invitee.pk],
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["reference"], body["place"], body["planned_start"]) == (
        "MTG-2026-001",
        "Board room",
        "2026-04-08T10:00:00+01:00",
    )
    assert {a["person"] for a in body["attendees"]} == {chair.pk, invitee.pk}


def test_editing_a_meeting_and_the_409_once_it_is_held(api_as, dept_manager):
    meeting = planned()
    client = api_as(dept_manager)

    response = client.patch(url(meeting), {"title": "Quality meeting, moved", "planned_start": "2026-03-18T14:00:00Z"})
    assert response.status_code == 200
    assert response.json()["title"] == "Quality meeting, moved"

    Meeting.objects.filter(pk=meeting.pk).update(status="held", held_at=NOW)
    response = client.patch(url(meeting), {"title": "Again"})
    assert response.status_code == 409
    assert "only before a meeting is held" in response.json()["detail"]


def test_cancelling_a_meeting(api_as, qa):
    meeting = planned()
    client = api_as(qa)

    assert client.post(url(meeting, "cancel"), {"reason": ""}).status_code == 400
    response = client.post(url(meeting, "cancel"), {"reason": "Chair at the customer's plant."})
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert client.post(url(meeting, "cancel"), {"reason": "Again"}).status_code == 409


@pytest.mark.parametrize("persona", ["auditor", "employee"])
def test_readers_cannot_write_anything(request, api_as, persona):
    meeting = planned()
    item = AgendaItemFactory(meeting=meeting)
    attendee = Attendee.objects.get(meeting=meeting)
    client = api_as(request.getfixturevalue(persona))

    assert client.post(MEETINGS, {"type": meeting.type_id}).status_code == 403
    assert client.patch(url(meeting), {"title": "X"}).status_code == 403
    assert client.post(url(meeting, "cancel"), {"reason": "X"}).status_code == 403
    assert client.post(url(meeting, "agenda-items"), {"title": "X"}).status_code == 403
    assert client.patch(url(meeting, "agenda-items", item.pk), {"title": "X"}).status_code == 403
    assert client.delete(url(meeting, "agenda-items", item.pk)).status_code == 403
    assert client.post(url(meeting, "agenda-items", item.pk, "move"), {"direction": "up"}).status_code == 403
    assert client.post(url(meeting, "attendees"), {"person": PersonFactory().pk}).status_code == 403
    assert client.delete(url(meeting, "attendees", attendee.pk)).status_code == 403
    meeting.refresh_from_db()
    assert (meeting.status, meeting.title) != ("cancelled", "X")
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


# Agenda items and invitees -----------------------------------------------------------------------


def test_agenda_items_are_added_changed_moved_and_removed(api_as, qa):
    action = ActionFactory()
    meeting = planned()
    first = AgendaItemFactory(meeting=meeting, order=1, title="Actions")
    risk = RiskFactory()
    client = api_as(qa)

    response = client.post(
        url(meeting, "agenda-items"),
        {"title": "Supplier issues", "duration_minutes": 15, "risks": [risk.pk], "actions": [action.pk]},
    )
    assert response.status_code == 201
    item = response.json()
    assert (item["order"], item["risks"], item["actions"]) == (2, [risk.pk], [action.pk])

    response = client.patch(url(meeting, "agenda-items", item["id"]), {"presenter": qa.person.pk, "risks": []})
    assert (response.json()["presenter"], response.json()["risks"]) == (qa.person.pk, [])

    response = client.post(url(meeting, "agenda-items", item["id"], "move"), {"direction": "up"})
    assert [i["title"] for i in response.json()] == ["Supplier issues", "Actions"]

    assert client.delete(url(meeting, "agenda-items", first.pk)).status_code == 204
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", "order")) == [("Supplier issues", 1)]


def test_agenda_rules_answer_400_and_409(api_as, qa):
    done = ActionFactory(status=Action.Status.DONE, completed_at=NOW)
    meeting = planned()
    item = AgendaItemFactory(meeting=meeting)
    other = AgendaItemFactory(meeting=planned())
    client = api_as(qa)

    response = client.post(url(meeting, "agenda-items"), {"title": "Actions", "actions": [done.pk]})
    assert response.status_code == 400
    assert done.reference in response.json()["actions"][0]
    assert client.post(url(meeting, "agenda-items", item.pk, "move"), {"direction": "left"}).status_code == 400
    assert client.patch(url(meeting, "agenda-items", other.pk), {"title": "X"}).status_code == 404

    Meeting.objects.filter(pk=meeting.pk).update(status="held", held_at=NOW)
    response = client.delete(url(meeting, "agenda-items", item.pk))
    assert response.status_code == 409
    assert "only before a meeting is held" in response.json()["detail"]


def test_invitees_are_added_and_removed(api_as, qa):
    meeting = planned()
    person = PersonFactory()
    client = api_as(qa)

    response = client.post(url(meeting, "attendees"), {"person": person.pk})
    assert (response.status_code, response.json()["person"]) == (201, person.pk)
    assert client.post(url(meeting, "attendees"), {"person": person.pk}).status_code == 400

    attendee = Attendee.objects.get(meeting=meeting, person=person)
    assert client.delete(url(meeting, "attendees", attendee.pk)).status_code == 204

    chair = Attendee.objects.get(meeting=meeting, person=meeting.chair)
    response = client.delete(url(meeting, "attendees", chair.pk))
    assert response.status_code == 409
    assert "choose another chair" in response.json()["detail"]


def test_my_meetings(api_as, dept_manager):
    mine = planned(title="Mine", chair=dept_manager.person)
    invited = planned(title="Invited")
    AttendeeFactory(meeting=invited, person=dept_manager.person)
    planned(title="Not mine")

    response = api_as(dept_manager).get(f"{MEETINGS}mine/")

    assert response.status_code == 200
    assert {m["title"] for m in response.json()["results"]} == {mine.title, invited.title}
