"""Meeting pages: the list and "my meetings", planning and editing, cancelling, agenda preparation."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reviews.models.meetings import AgendaItem, Attendee, Meeting
from reviews.services import meetings as services
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.objectives.factories_risks import RiskFactory
from tests.reviews.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    MeetingFactory,
    MeetingTypeFactory,
)
from tests.reviews.factories_meetings import chair_person, grow_meetings

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"]
WRITERS = ["ceo", "mgmt_rep", "dept_manager", "qa"]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def planned(**kwargs) -> Meeting:
    kwargs.setdefault("planned_start", NOW + datetime.timedelta(days=7))
    meeting = MeetingFactory(**kwargs)
    AttendeeFactory(meeting=meeting, person=meeting.chair)
    return meeting


def form_data(**overrides) -> dict:
    meeting_type = overrides.pop("type", None) or MeetingTypeFactory(default_duration_minutes=90)
    chair = overrides.pop("chair", None) or chair_person()
    return {
        "type": meeting_type.pk,
        "title": "Monthly quality meeting",
        "planned_start": "2026-07-01T10:00",
        "duration_minutes": "",
        "place": "",
        "link": "",
        "department": "",
        "chair": chair.pk,
        "minute_taker": "",
        **overrides,
    }


# Who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_everyone_with_a_role_sees_the_meetings(request, client_as, persona):
    planned()
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("reviews:meeting-list")).status_code == 200
    assert client.get(reverse("reviews:my-meetings")).status_code == 200


def test_an_account_without_a_role_sees_no_meetings(client_as, outsider):
    client = client_as(outsider)

    assert client.get(reverse("reviews:meeting-list")).status_code == 403
    assert client.get(reverse("reviews:my-meetings")).status_code == 403


def test_signed_out_visitors_are_sent_to_log_in(client):
    meeting = planned()
    for url in (
        reverse("reviews:meeting-list"),
        reverse("reviews:meeting-create"),
        reverse("reviews:meeting-agenda", args=[meeting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize("persona", WRITERS)
def test_managers_and_qa_plan_edit_and_prepare_meetings(request, client_as, persona):
    meeting = planned()
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("reviews:meeting-create")).status_code == 200
    assert client.get(reverse("reviews:meeting-update", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("reviews:meeting-agenda", args=[meeting.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["auditor", "employee", "outsider"])
def test_others_cannot_plan_edit_cancel_or_prepare(request, client_as, persona):
    meeting = planned()
    item = AgendaItemFactory(meeting=meeting)
    attendee = Attendee.objects.get(meeting=meeting)
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("reviews:meeting-create")).status_code == 403
    assert client.post(reverse("reviews:meeting-create"), form_data()).status_code == 403
    assert client.get(reverse("reviews:meeting-update", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("reviews:meeting-update", args=[meeting.pk]), form_data()).status_code == 403
    assert client.post(reverse("reviews:meeting-cancel", args=[meeting.pk]), {"reason": "x"}).status_code == 403
    assert client.get(reverse("reviews:meeting-agenda", args=[meeting.pk])).status_code == 403
    posts = [
        (reverse("reviews:meeting-agenda-add", args=[meeting.pk]), {"title": "Late item"}),
        (reverse("reviews:meeting-agenda-item-update", args=[item.pk]), {"title": "Changed"}),
        (reverse("reviews:meeting-agenda-item-remove", args=[item.pk]), {}),
        (reverse("reviews:meeting-agenda-item-move", args=[item.pk]), {"direction": "up"}),
        (reverse("reviews:meeting-invitee-add", args=[meeting.pk]), {"person": PersonFactory().pk}),
        (reverse("reviews:meeting-invitee-remove", args=[attendee.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1
    assert Meeting.objects.count() == 1


# The list ---------------------------------------------------------------------------------------


def test_upcoming_meetings_come_first_soonest_first_then_past_ones_latest_first(client_as, employee):
    far = planned(title="Far", planned_start=NOW + datetime.timedelta(days=30))
    soon = planned(title="Soon", planned_start=NOW + datetime.timedelta(hours=2))
    recent = planned(title="Recent", planned_start=NOW - datetime.timedelta(days=2))
    old = planned(title="Old", planned_start=NOW - datetime.timedelta(days=40))

    response = client_as(employee).get(reverse("reviews:meeting-list"))

    assert [m.title for m in response.context["object_list"]] == [soon.title, far.title, recent.title, old.title]
    html = response.content.decode()
    assert html.index("Coming up") < html.index("Soon") < html.index("Past meetings") < html.index("Recent")


def test_the_list_shows_status_badges_and_counts_of_decisions_and_actions(client_as, employee):
    meeting = planned(title="Quality meeting with output")
    first, second = DecisionFactory(meeting=meeting, number=1), DecisionFactory(meeting=meeting, number=2)
    ActionFactory.create_batch(2, decision=first)
    ActionFactory(decision=second)
    planned(title="Called off", status=Meeting.Status.CANCELLED, cancel_reason="Customer audit")

    response = client_as(employee).get(reverse("reviews:meeting-list"))

    row = next(m for m in response.context["object_list"] if m.pk == meeting.pk)
    assert (row.decisions_count, row.actions_count) == (2, 3)
    html = response.content.decode()
    assert "Planned</span>" in html
    assert "Cancelled</span>" in html
    assert "Customer audit" in html


def test_the_list_filters_by_type_status_chair_department_dates_and_search(client_as, qa):
    board = MeetingTypeFactory(name="Board quality review")
    chair = chair_person()
    department = DepartmentFactory()
    march = planned(title="March", type=board, planned_start=datetime.datetime(2026, 3, 20, 10, 0, tzinfo=LONDON))
    april = planned(title="April", chair=chair, planned_start=datetime.datetime(2026, 4, 1, 0, 30, tzinfo=LONDON))
    may = planned(title="May", department=department, planned_start=datetime.datetime(2026, 5, 5, 10, 0, tzinfo=LONDON))
    held = planned(
        title="Held", status=Meeting.Status.HELD, held_at=NOW, planned_start=NOW - datetime.timedelta(days=1)
    )
    AgendaItemFactory(meeting=may, title="Burrs on the Airbus brackets")
    client = client_as(qa)

    def titles(**params):
        return {m.title for m in client.get(reverse("reviews:meeting-list"), params).context["object_list"]}

    assert titles(type=board.pk) == {march.title}
    assert titles(status="held") == {held.title}
    assert titles(status="open") == {march.title, april.title, may.title, held.title}
    assert titles(chair=chair.pk) == {april.title}
    assert titles(department=department.pk) == {may.title}
    # 00:30 London time on 1 April is still 31 March in UTC: days are the organisation's.
    assert titles(date_from="2026-04-01", date_to="2026-04-30") == {april.title}
    assert titles(date_to="2026-03-31") == {march.title, held.title}
    assert titles(q="airbus") == {may.title}
    assert titles(q=march.reference) == {march.title}


def test_an_htmx_request_gets_only_the_table(client_as, qa):
    planned()
    response = client_as(qa).get(reverse("reviews:meeting-list"), HTTP_HX_REQUEST="true")

    assert next(t.name for t in response.templates) == "reviews/meetings/partials/_table.html"
    assert "<h1>" not in response.content.decode()


def test_my_meetings_are_those_i_chair_minute_or_am_invited_to(client_as, dept_manager):
    me = dept_manager.person
    chairing = planned(title="Chairing", chair=me)
    minuting = planned(title="Minuting", minute_taker=me)
    invited = planned(title="Invited")
    AttendeeFactory(meeting=invited, person=me, status=Attendee.Status.APOLOGIES)
    planned(title="Not mine")

    response = client_as(dept_manager).get(reverse("reviews:my-meetings"))

    assert {m.title for m in response.context["object_list"]} == {chairing.title, minuting.title, invited.title}
    html = response.content.decode()
    assert "Chair</td>" in html
    assert "Minute-taker</td>" in html
    assert "Sent apologies</td>" in html


@pytest.mark.parametrize("rows", [3, 60])
def test_list_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    grow_meetings(rows, NOW)
    client = client_as(qa)
    # session, user, permissions (user + group), count for pagination, the page of meetings (type,
    # chair, minute-taker and department joined; decisions, actions, agenda items and attendees
    # counted in subqueries), the type, chair and department drop-downs of the filter, groups for
    # the role badge.
    with django_assert_num_queries(10):
        assert client.get(reverse("reviews:meeting-list")).status_code == 200


@pytest.mark.parametrize("rows", [3, 60])
def test_my_meetings_query_count_does_not_grow(client_as, dept_manager, rows, django_assert_num_queries):
    for meeting in grow_meetings(rows, NOW):
        AttendeeFactory(meeting=meeting, person=dept_manager.person)
    client = client_as(dept_manager)
    # As the list, plus the signed-in person.
    with django_assert_num_queries(11):
        assert client.get(reverse("reviews:my-meetings")).status_code == 200


# Planning and editing ---------------------------------------------------------------------------


def test_planning_a_meeting_takes_the_time_in_the_organisations_time_zone(client_as, qa):
    meeting_type = MeetingTypeFactory(default_duration_minutes=90, default_place="Board room")
    invitee = PersonFactory()
    minute_taker = qa.person

    response = client_as(qa).post(
        reverse("reviews:meeting-create"),
        form_data(type=meeting_type, minute_taker=minute_taker.pk, invitees=[invitee.pk]),
    )

    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("reviews:meeting-agenda", args=[meeting.pk])
    # 10:00 in London in July is 09:00 UTC.
    assert meeting.planned_start == datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC)
    assert (meeting.duration_minutes, meeting.place) == (90, "Board room")
    assert set(Attendee.objects.filter(meeting=meeting).values_list("person_id", flat=True)) == {
        meeting.chair_id,
        minute_taker.pk,
        invitee.pk,
    }
    assert "MTG-2026-001 planned" in messages_of(response)[0]


def test_only_people_who_may_sign_are_offered_as_chair(client_as, qa):
    response = client_as(qa).post(reverse("reviews:meeting-create"), form_data(chair=PersonFactory()))

    assert response.status_code == 200
    assert "chair" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(client_as, qa):
    response = client_as(qa).post(reverse("reviews:meeting-create"), form_data(planned_start="", link="not a link"))

    assert response.status_code == 200
    assert {"planned_start", "link"} <= set(response.context["form"].errors)
    assert not Meeting.objects.exists()


def test_the_edit_form_shows_the_local_time_and_saves_changes(client_as, dept_manager):
    meeting = planned(planned_start=datetime.datetime(2026, 6, 3, 13, 30, tzinfo=LONDON))
    extra = PersonFactory()
    client = client_as(dept_manager)

    page = client.get(reverse("reviews:meeting-update", args=[meeting.pk]))
    assert 'value="2026-06-03T13:30"' in page.content.decode()

    data = form_data(
        type=meeting.type,
        chair=meeting.chair,
        title="June quality meeting",
        planned_start="2026-06-04T09:00",
        invitees=[extra.pk],
    )
    response = client.post(reverse("reviews:meeting-update", args=[meeting.pk]), data)

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.title == "June quality meeting"
    assert timezone.localtime(meeting.planned_start).hour == 9
    assert set(Attendee.objects.filter(meeting=meeting).values_list("person_id", flat=True)) == {
        meeting.chair_id,
        extra.pk,
    }


def test_a_held_meeting_is_not_edited(client_as, qa):
    meeting = planned(status=Meeting.Status.HELD, held_at=NOW)
    client = client_as(qa)

    response = client.get(reverse("reviews:meeting-update", args=[meeting.pk]))
    assert response.status_code == 302
    assert "edited only before it is held" in messages_of(response)[0]

    client.post(reverse("reviews:meeting-update", args=[meeting.pk]), form_data(type=meeting.type, title="Changed"))
    meeting.refresh_from_db()
    assert meeting.title != "Changed"


# Cancelling -------------------------------------------------------------------------------------


def test_cancelling_needs_a_reason_and_a_post(client_as, qa):
    meeting = planned()
    client = client_as(qa)
    url = reverse("reviews:meeting-cancel", args=[meeting.pk])

    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": ""})
    assert "Say why" in messages_of(response)[0]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED

    response = client.post(url, {"reason": "Chair at the Airbus supplier day."})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (Meeting.Status.CANCELLED, "Chair at the Airbus supplier day.")
    assert response["Location"] == meeting.get_absolute_url()


def test_a_held_meeting_cannot_be_cancelled_from_the_page(client_as, qa):
    meeting = planned(status=Meeting.Status.HELD, held_at=NOW)

    response = client_as(qa).post(reverse("reviews:meeting-cancel", args=[meeting.pk]), {"reason": "Too late"})

    assert "has been held" in messages_of(response)[0]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


# Agenda preparation -----------------------------------------------------------------------------


def test_the_agenda_page_shows_items_links_time_and_invitees(client_as, qa):
    meeting = planned(duration_minutes=30)
    risk = RiskFactory(title="Single-source titanium bar")
    item = AgendaItemFactory(meeting=meeting, title="Supplier issues", duration_minutes=45, presenter=qa.person)
    item.risks.add(risk)

    html = client_as(qa).get(reverse("reviews:meeting-agenda", args=[meeting.pk])).content.decode()

    assert "Supplier issues" in html
    assert risk.reference in html
    assert "45 of 30 minutes planned" in html
    assert "over the meeting" in html
    assert meeting.chair.full_name in html
    assert "Cancel this meeting" in html


def test_adding_an_item_with_htmx_returns_the_agenda_card(client_as, qa):
    meeting = planned()
    risk = RiskFactory()

    response = client_as(qa).post(
        reverse("reviews:meeting-agenda-add", args=[meeting.pk]),
        {"title": "Scrap on the 5-axis cell", "duration_minutes": "15", "risks": [risk.pk]},
        HTTP_HX_REQUEST="true",
    )

    assert next(t.name for t in response.templates) == "reviews/meetings/partials/_agenda.html"
    html = response.content.decode()
    assert "Scrap on the 5-axis cell" in html
    assert "added" in html
    item = AgendaItem.objects.get(meeting=meeting)
    assert list(item.risks.all()) == [risk]


def test_a_bad_item_keeps_what_was_typed_and_names_the_field(client_as, qa):
    meeting = planned()

    response = client_as(qa).post(
        reverse("reviews:meeting-agenda-add", args=[meeting.pk]),
        {"title": "", "description": "Keep this text", "duration_minutes": "900"},
        HTTP_HX_REQUEST="true",
    )

    form = response.context["add_form"]
    assert {"title", "duration_minutes"} <= set(form.errors)
    assert "Keep this text" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_without_htmx_the_agenda_forms_go_back_to_the_page(client_as, qa):
    meeting = planned()

    response = client_as(qa).post(reverse("reviews:meeting-agenda-add", args=[meeting.pk]), {"title": "Complaints"})

    assert response["Location"] == reverse("reviews:meeting-agenda", args=[meeting.pk])
    assert "added" in messages_of(response)[0]


def test_an_item_is_edited_inline(client_as, qa):
    meeting = planned()
    item = AgendaItemFactory(meeting=meeting, title="Scrap")
    client = client_as(qa)
    url = reverse("reviews:meeting-agenda-item-update", args=[item.pk])

    form = client.get(url, HTTP_HX_REQUEST="true")
    assert f'hx-post="{url}"' in form.content.decode()

    client.post(url, {"title": "Scrap and rework", "duration_minutes": "20"}, HTTP_HX_REQUEST="true")
    item.refresh_from_db()
    assert (item.title, item.duration_minutes) == ("Scrap and rework", 20)


def test_items_are_moved_and_removed(client_as, qa):
    meeting = planned()
    first = AgendaItemFactory(meeting=meeting, order=1, title="First")
    second = AgendaItemFactory(meeting=meeting, order=2, title="Second")
    client = client_as(qa)

    client.post(
        reverse("reviews:meeting-agenda-item-move", args=[second.pk]), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)) == ["Second", "First"]

    response = client.post(reverse("reviews:meeting-agenda-item-remove", args=[second.pk]), HTTP_HX_REQUEST="true")
    assert "taken off the agenda" in response.content.decode()
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", "order")) == [(first.title, 1)]


def test_invitees_are_added_and_removed_inline(client_as, qa):
    meeting = planned()
    person = PersonFactory()
    client = client_as(qa)

    response = client.post(
        reverse("reviews:meeting-invitee-add", args=[meeting.pk]), {"person": person.pk}, HTTP_HX_REQUEST="true"
    )
    assert next(t.name for t in response.templates) == "reviews/meetings/partials/_invitees.html"
    attendee = Attendee.objects.get(meeting=meeting, person=person)

    client.post(reverse("reviews:meeting-invitee-remove", args=[attendee.pk]), HTTP_HX_REQUEST="true")
    assert not Attendee.objects.filter(pk=attendee.pk).exists()

    chair = Attendee.objects.get(meeting=meeting, person=meeting.chair)
    response = client.post(reverse("reviews:meeting-invitee-remove", args=[chair.pk]), HTTP_HX_REQUEST="true")
    assert "choose another chair" in response.content.decode()


def test_once_held_the_agenda_page_is_read_only(client_as, qa):
    meeting = planned(status=Meeting.Status.HELD, held_at=NOW)
    item = AgendaItemFactory(meeting=meeting)
    client = client_as(qa)

    html = client.get(reverse("reviews:meeting-agenda", args=[meeting.pk])).content.decode()
    assert "has been held" in html
    assert "Add to the agenda" not in html
    assert "Invite</button>" not in html

    response = client.post(reverse("reviews:meeting-agenda-item-remove", args=[item.pk]), HTTP_HX_REQUEST="true")
    assert "only before a meeting is held" in response.content.decode()
    assert AgendaItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("items", [2, 12])
def test_agenda_page_query_count_does_not_grow(client_as, qa, items, django_assert_num_queries):
    meeting = planned()
    for order in range(1, items + 1):
        item = AgendaItemFactory(meeting=meeting, order=order, presenter=PersonFactory())
        item.risks.add(RiskFactory())
        item.actions.add(ActionFactory())
        AttendeeFactory(meeting=meeting)
    client = client_as(qa)
    # session, user, permissions (user + group), the meeting, its items (presenters joined) and
    # their objectives, feedback, risks and actions (4), the invitees, groups for the role badge,
    # the add form's presenter, objective, feedback, risk and action choices (5), the invite
    # form's people.
    with django_assert_num_queries(18):
        assert client.get(reverse("reviews:meeting-agenda", args=[meeting.pk])).status_code == 200


def test_a_new_meeting_from_a_scheduled_type_has_its_standing_agenda(client_as, qa):
    meeting_type = MeetingTypeFactory(default_agenda="Actions from the last meeting\nScrap and rework")

    client_as(qa).post(reverse("reviews:meeting-create"), form_data(type=meeting_type))

    assert list(AgendaItem.objects.values_list("title", flat=True)) == [
        "Actions from the last meeting",
        "Scrap and rework",
    ]


def test_a_meeting_planned_through_the_service_is_listed(client_as, qa):
    meeting = services.meeting_create(
        actor=qa, type=MeetingTypeFactory(), title="Supplier review", planned_start=NOW, chair=chair_person()
    )

    response = client_as(qa).get(reverse("reviews:meeting-list"), {"q": "supplier"})

    assert [m.pk for m in response.context["object_list"]] == [meeting.pk]
