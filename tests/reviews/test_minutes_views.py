"""Minutes through their pages: the meeting's record, the live recording page, signing, amendments, decisions."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from leadership.models.resources import ResourceRequest
from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MinutesAmendment
from reviews.services import minutes as services
from tests.conftest import PASSWORD
from tests.leadership.factories import PersonFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.reviews.factories import ActionFactory, MeetingFactory
from tests.reviews.factories_minutes import complete, grow_minutes, held_meeting

pytestmark = pytest.mark.django_db

READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"]
RECORDERS = ["ceo", "mgmt_rep", "dept_manager", "qa"]
HTMX = {"HTTP_HX_REQUEST": "true"}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def due(days=14) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# The meeting's record ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_everyone_on_the_staff_and_the_auditor_read_a_meetings_record(request, client_as, ceo, persona):
    meeting = held_meeting(chair=ceo)
    response = client_as(request.getfixturevalue(persona)).get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert meeting.reference in response.content.decode()


def test_an_account_without_a_role_does_not_and_a_visitor_is_sent_to_log_in(client, client_as, ceo, outsider):
    meeting = held_meeting(chair=ceo)
    assert client.get(meeting.get_absolute_url()).status_code == 302
    assert client_as(outsider).get(meeting.get_absolute_url()).status_code == 403


def test_the_record_shows_attendance_minutes_decisions_actions_and_the_signature(client_as, ceo, qa, employee):
    meeting = complete(held_meeting(chair=ceo, attendees=[employee.person]))
    item = meeting.agenda_items.first()
    decision = services.decision_add(actor=qa, meeting=meeting, text="Buy a second CMM.", agenda_item=item)
    late = ActionFactory(
        decision=decision, title="Get three quotes", due_date=timezone.localdate() - datetime.timedelta(1)
    )
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    services.minutes_amend(
        actor=ceo,
        meeting=meeting,
        password=PASSWORD,
        reason="Wrong figure",
        amended_text="Scrap was 2.1%.",
        agenda_item=item,
    )
    page = client_as(employee).get(meeting.get_absolute_url()).content.decode()
    assert employee.person.full_name in page
    assert "Present" in page
    assert "D1" in page
    assert "Buy a second CMM." in page
    assert late.reference in page
    assert "overdue" in page
    assert "I approve these minutes as a true record" in page
    assert "The minutes are as signed." in page
    assert f'<del class="text-body-secondary">{item.minutes}' in page
    assert "Scrap was 2.1%." in page
    assert "Wrong figure" in page
    assert "Change history" not in page  # employees do not read the history


def test_the_auditor_sees_the_history_and_a_change_after_signing(client_as, ceo, auditor):
    meeting = complete(held_meeting(chair=ceo))
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    AgendaItem.objects.filter(meeting=meeting).update(minutes="Rewritten behind the services' back")
    page = client_as(auditor).get(meeting.get_absolute_url()).content.decode()
    assert "Changed after it was signed" in page
    assert "Change history of the meeting and its minutes" in page
    assert "Minutes signed" in page


def test_buttons_follow_the_permissions(client_as, ceo, qa, employee):
    meeting = held_meeting(chair=ceo)
    record = reverse("reviews:meeting-record", args=[meeting.pk])
    sign = reverse("reviews:meeting-sign", args=[meeting.pk])
    assert record in client_as(qa).get(meeting.get_absolute_url()).content.decode()
    assert sign not in client_as(qa).get(meeting.get_absolute_url()).content.decode()
    assert sign in client_as(ceo).get(meeting.get_absolute_url()).content.decode()
    page = client_as(employee).get(meeting.get_absolute_url()).content.decode()
    assert record not in page
    assert sign not in page
    assert reverse("reviews:meeting-ics", args=[meeting.pk]) in page


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_record_page_runs_a_fixed_number_of_queries(client_as, ceo, qa, auditor, size, django_assert_num_queries):
    meeting = held_meeting(chair=ceo, items=0)
    if size == "small":
        grow_minutes(meeting, items=2, decisions=1, actions=1)
    else:
        grow_minutes(meeting, items=6, decisions=5, actions=8, attendees=9)
    complete(meeting)
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    client = client_as(qa)
    # session, user, permissions (user + groups); the meeting (type, people, signature, review joined),
    # attendees, agenda items, decisions, their actions, amendments; the actions as signed (signature
    # check), the removed decision numbers; the role badge's groups; attachments (content type, list).
    with django_assert_num_queries(15):
        assert client.get(meeting.get_absolute_url()).status_code == 200
    client = client_as(auditor)
    # The same, plus the history: one query per kind of record (5) and the names of changed people.
    with django_assert_num_queries(21):
        assert client.get(meeting.get_absolute_url()).status_code == 200


# The live recording page ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", RECORDERS)
def test_minute_takers_open_the_recording_page(request, client_as, ceo, persona):
    meeting = held_meeting(chair=ceo)
    assert (
        client_as(request.getfixturevalue(persona))
        .get(reverse("reviews:meeting-record", args=[meeting.pk]))
        .status_code
        == 200
    )


@pytest.mark.parametrize("persona", ["auditor", "employee", "outsider"])
def test_readers_cannot_record(request, client_as, ceo, persona):
    meeting = held_meeting(chair=ceo, items=1)
    client = client_as(request.getfixturevalue(persona))
    item = meeting.agenda_items.get()
    attendee = meeting.attendees.get()
    posts = [
        (reverse("reviews:meeting-record", args=[meeting.pk]), None),
        (reverse("reviews:meeting-start", args=[meeting.pk]), {}),
        (reverse("reviews:attendee-mark", args=[attendee.pk]), {"status": "absent"}),
        (reverse("reviews:attendee-add", args=[meeting.pk]), {"person": PersonFactory().pk}),
        (reverse("reviews:agenda-item-minutes", args=[item.pk]), {"minutes": "x"}),
        (reverse("reviews:meeting-notes", args=[meeting.pk]), {"general_notes": "x"}),
        (reverse("reviews:agenda-item-add", args=[meeting.pk]), {"title": "x"}),
        (reverse("reviews:decision-add", args=[meeting.pk]), {"text": "x"}),
    ]
    for url, data in posts:
        response = client.get(url) if data is None else client.post(url, data, **HTMX)
        assert response.status_code == 403, url
    assert not Decision.objects.exists()
    assert AgendaItem.objects.get(pk=item.pk).minutes == ""


def test_a_signed_out_minute_taker_is_sent_to_log_in_and_an_autosave_gets_401(client, ceo):
    meeting = held_meeting(chair=ceo, items=1)
    assert client.get(reverse("reviews:meeting-record", args=[meeting.pk])).status_code == 302
    item = meeting.agenda_items.get()
    response = client.post(reverse("reviews:agenda-item-minutes", args=[item.pk]), {"minutes": "typed"}, **HTMX)
    assert response.status_code == 401
    assert "your text is kept here" in response.content.decode()


def test_a_planned_meeting_is_started_from_the_recording_page(client_as, qa):
    meeting = MeetingFactory()
    client = client_as(qa)
    page = client.get(reverse("reviews:meeting-record", args=[meeting.pk])).content.decode()
    assert "Start the meeting" in page
    assert "autosave" not in page
    response = client.post(reverse("reviews:meeting-start", args=[meeting.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:meeting-record", args=[meeting.pk])
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD
    page = client.get(response["Location"]).content.decode()
    assert "autosave" in page
    assert "reviews/minutes.js" in page


def test_a_signed_meeting_has_nothing_to_record(client_as, ceo, qa):
    meeting = complete(held_meeting(chair=ceo))
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    response = client_as(qa).get(reverse("reviews:meeting-record", args=[meeting.pk]))
    assert response.status_code == 302
    assert "nothing to record" in messages_of(response)[0]


def test_one_click_marks_attendance_and_returns_the_row(client_as, ceo, qa, employee):
    meeting = held_meeting(chair=ceo, attendees=[employee.person])
    attendee = meeting.attendees.get(person=employee.person)
    response = client_as(qa).post(reverse("reviews:attendee-mark", args=[attendee.pk]), {"status": "apologies"}, **HTMX)
    assert response.status_code == 200
    assert (
        response.content.decode().strip().startswith(f'<div class="list-group-item py-2" id="attendee-{attendee.pk}"')
    )
    assert Attendee.objects.get(pk=attendee.pk).status == "apologies"
    bad = client_as(qa).post(reverse("reviews:attendee-mark", args=[attendee.pk]), {"status": "invited"}, **HTMX)
    assert bad.status_code == 400


def test_a_guest_is_added_inline_and_a_duplicate_is_refused_next_to_the_field(client_as, ceo, qa):
    meeting = held_meeting(chair=ceo)
    guest = PersonFactory()
    client = client_as(qa)
    url = reverse("reviews:attendee-add", args=[meeting.pk])
    response = client.post(url, {"person": guest.pk, "status": "present", "note": "for Production"}, **HTMX)
    assert response.status_code == 200
    assert guest.full_name in response.content.decode()
    again = client.post(url, {"person": guest.pk, "status": "present", "note": "typed note"}, **HTMX)
    assert again.status_code == 400
    body = again.content.decode()
    assert "already on the attendance list" in body
    assert 'value="typed note"' in body


def test_minutes_autosave_answers_saved_with_the_time(client_as, ceo, qa):
    meeting = held_meeting(chair=ceo, items=1)
    item = meeting.agenda_items.get()
    response = client_as(qa).post(
        reverse("reviews:agenda-item-minutes", args=[item.pk]), {"minutes": "Scrap 2.1%"}, **HTMX
    )
    assert response.status_code == 200
    assert re.search(r"Saved \d\d:\d\d", response.content.decode())
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Scrap 2.1%"
    notes = client_as(qa).post(
        reverse("reviews:meeting-notes", args=[meeting.pk]), {"general_notes": "AOB: none"}, **HTMX
    )
    assert notes.status_code == 200
    assert Meeting.objects.get(pk=meeting.pk).general_notes == "AOB: none"


def test_an_autosave_after_signing_is_refused_with_the_reason(client_as, ceo, qa):
    meeting = complete(held_meeting(chair=ceo, items=1))
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    item = meeting.agenda_items.get()
    response = client_as(qa).post(reverse("reviews:agenda-item-minutes", args=[item.pk]), {"minutes": "late"}, **HTMX)
    assert response.status_code == 409
    assert "Not saved: The minutes are signed" in response.content.decode()


def test_an_agenda_item_added_inline_is_appended_to_the_agenda(client_as, ceo, qa):
    meeting = held_meeting(chair=ceo, items=2)
    response = client_as(qa).post(
        reverse("reviews:agenda-item-add", args=[meeting.pk]), {"title": "Fire alarm test"}, **HTMX
    )
    body = response.content.decode()
    item = AgendaItem.objects.get(title="Fire alarm test")
    assert response.status_code == 200
    assert item.order == 3
    assert 'hx-swap-oob="beforeend:#items"' in body
    assert f'id="item-{item.pk}"' in body
    empty = client_as(qa).post(reverse("reviews:agenda-item-add", args=[meeting.pk]), {"title": ""}, **HTMX)
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()


def test_a_decision_added_inline_is_appended_under_its_item(client_as, ceo, qa, dept_manager):
    meeting = held_meeting(chair=ceo, items=1)
    item = meeting.agenda_items.get()
    response = client_as(qa).post(
        reverse("reviews:decision-add", args=[meeting.pk]),
        {"text": "Second final inspector on nights.", "owner": dept_manager.person.pk, "agenda_item": item.pk},
        **HTMX,
    )
    body = response.content.decode()
    decision = Decision.objects.get()
    assert response.status_code == 200
    assert f'hx-swap-oob="beforeend:#decision-list-{item.pk}"' in body
    assert f'id="decision-{decision.pk}"' in body
    assert (decision.label, decision.owner, decision.agenda_item) == ("D1", dept_manager.person, item)


def test_a_refused_decision_keeps_what_was_typed_next_to_the_error(client_as, ceo, qa, dept_manager):
    meeting = held_meeting(chair=ceo, review=True)
    response = client_as(qa).post(
        reverse("reviews:decision-add", args=[meeting.pk]),
        {"text": "Buy two height gauges.", "owner": dept_manager.person.pk, "output_category": ""},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Say which 9.3.3 output this is" in body
    assert "Buy two height gauges." in body
    assert f'value="{dept_manager.person.pk}" selected' in body
    assert not Decision.objects.exists()


def test_a_decision_is_edited_and_removed_inline(client_as, ceo, qa):
    meeting = held_meeting(chair=ceo)
    decision = services.decision_add(actor=qa, meeting=meeting, text="First wording")
    client = client_as(qa)
    response = client.post(reverse("reviews:decision-update", args=[decision.pk]), {"text": "Better wording"}, **HTMX)
    assert response.status_code == 200
    assert "Better wording" in response.content.decode()
    blank = client.post(reverse("reviews:decision-update", args=[decision.pk]), {"text": ""}, **HTMX)
    assert blank.status_code == 400
    assert "collapse show" in blank.content.decode()
    ActionFactory(decision=decision)
    kept = client.post(reverse("reviews:decision-remove", args=[decision.pk]), **HTMX)
    assert kept.status_code == 409
    assert "has actions" in kept.content.decode()
    other = services.decision_add(actor=qa, meeting=meeting, text="By mistake")
    gone = client.post(reverse("reviews:decision-remove", args=[other.pk]), **HTMX)
    assert gone.status_code == 200
    assert gone.content == b""
    assert not Decision.objects.filter(pk=other.pk).exists()


def test_an_action_raised_inline_is_appended_and_a_bad_one_keeps_its_title(client_as, ceo, qa, dept_manager):
    meeting = held_meeting(chair=ceo)
    decision = services.decision_add(actor=qa, meeting=meeting, text="Calibrate the CMM")
    url = reverse("reviews:decision-action-add", args=[decision.pk])
    client = client_as(qa)
    data = {"title": "Book the Zeiss engineer", "owner": dept_manager.person.pk, "due_date": due(), "priority": "high"}
    response = client.post(url, data, **HTMX)
    action = Action.objects.get()
    body = response.content.decode()
    assert response.status_code == 200
    assert f'hx-swap-oob="beforeend:#actions-{decision.pk}"' in body
    assert action.reference in body
    assert f'id="decision-remove-{decision.pk}" hx-swap-oob="true"' in body
    assert (action.priority, action.source) == ("high", "meeting-decision")
    missing = client.post(url, {**data, "title": "Second quote", "owner": ""}, **HTMX)
    assert missing.status_code == 400
    assert 'value="Second quote"' in missing.content.decode()
    assert Action.objects.count() == 1


def test_without_htmx_the_forms_post_back_to_the_page_with_a_message(client_as, ceo, qa):
    meeting = held_meeting(chair=ceo, items=1)
    client = client_as(qa)
    response = client.post(reverse("reviews:decision-add", args=[meeting.pk]), {"text": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reviews:meeting-record", args=[meeting.pk]))
    assert "This field is required." in messages_of(response)[0]


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_recording_page_runs_a_fixed_number_of_queries(client_as, ceo, qa, size, django_assert_num_queries):
    meeting = held_meeting(chair=ceo, items=0)
    if size == "small":
        grow_minutes(meeting, items=2, decisions=1, actions=1)
    else:
        grow_minutes(meeting, items=6, decisions=5, actions=8, attendees=9)
    client = client_as(qa)
    # session, user, permissions (user + groups); the meeting (type, people, signature, review joined)
    # and its five prefetches (attendees, items, decisions, actions, amendments); the shared list of
    # people for every drop-down; the role badge's groups.
    with django_assert_num_queries(12):
        assert client.get(reverse("reviews:meeting-record", args=[meeting.pk])).status_code == 200


# Signing ------------------------------------------------------------------------------------


def test_the_chair_reviews_and_signs_the_minutes(client_as, ceo):
    meeting = complete(held_meeting(chair=ceo))
    client = client_as(ceo)
    url = reverse("reviews:meeting-sign", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Sign the minutes" in page
    assert 'name="password"' in page
    wrong = client.post(url, {"password": "nope"})
    assert wrong.status_code == 400
    assert "The password is not correct" in wrong.content.decode()
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SIGNED


def test_the_sign_page_tells_what_is_missing_and_who_signs(client_as, ceo, dept_manager, employee):
    meeting = held_meeting(chair=ceo, attendees=[employee.person])
    page = client_as(ceo).get(reverse("reviews:meeting-sign", args=[meeting.pk])).content.decode()
    assert "not complete yet" in page
    assert employee.person.full_name in page
    assert 'name="password"' not in page
    other = client_as(dept_manager).get(reverse("reviews:meeting-sign", args=[meeting.pk])).content.decode()
    assert f"Only the chair, {ceo.person.full_name}, can sign" in other
    refused = client_as(dept_manager).post(reverse("reviews:meeting-sign", args=[meeting.pk]), {"password": PASSWORD})
    assert refused.status_code == 302
    assert "Only the chair" in messages_of(refused)[0]
    incomplete = client_as(ceo).post(reverse("reviews:meeting-sign", args=[meeting.pk]), {"password": PASSWORD})
    assert any("not complete" in m for m in messages_of(incomplete))


@pytest.mark.parametrize("persona", ["qa", "auditor", "employee", "outsider"])
def test_roles_that_do_not_sign_minutes_get_403(request, client_as, ceo, persona):
    meeting = complete(held_meeting(chair=ceo))
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:meeting-sign", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("reviews:meeting-sign", args=[meeting.pk]), {"password": PASSWORD}).status_code == 403


# Amendments ---------------------------------------------------------------------------------


def test_the_chair_amends_signed_minutes_with_a_reason_and_a_signature(client_as, ceo, qa):
    meeting = complete(held_meeting(chair=ceo))
    decision = services.decision_add(actor=qa, meeting=meeting, text="Target 2.5%")
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    client = client_as(ceo)
    url = reverse("reviews:meeting-amend", args=[meeting.pk])
    page = client.get(url, {"target": f"decision-{decision.pk}"}).content.decode()
    assert "Target 2.5%</textarea>" in page
    bad = client.post(
        url, {"target": f"decision-{decision.pk}", "amended_text": "Target 2.0%", "reason": "", "password": PASSWORD}
    )
    assert bad.status_code == 400
    assert "Target 2.0%</textarea>" in bad.content.decode()
    data = {
        "target": f"decision-{decision.pk}",
        "amended_text": "Target 2.0%",
        "reason": "Misheard",
        "password": PASSWORD,
    }
    response = client.post(url, data)
    amendment = MinutesAmendment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == amendment.get_absolute_url()
    assert (amendment.decision, amendment.original_text) == (decision, "Target 2.5%")


@pytest.mark.parametrize("persona", ["qa", "auditor", "employee", "outsider"])
def test_nobody_but_the_chair_or_a_signer_amends(request, client_as, ceo, persona):
    meeting = complete(held_meeting(chair=ceo))
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    client = client_as(request.getfixturevalue(persona))
    url = reverse("reviews:meeting-amend", args=[meeting.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"target": "notes", "amended_text": "x", "reason": "r", "password": PASSWORD}).status_code
        == 403
    )
    assert not MinutesAmendment.objects.exists()


def test_unsigned_minutes_are_not_amended_from_the_page(client_as, ceo):
    meeting = complete(held_meeting(chair=ceo))
    response = client_as(ceo).get(reverse("reviews:meeting-amend", args=[meeting.pk]))
    assert response.status_code == 302
    assert "Only signed minutes" in messages_of(response)[0]


# Decisions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_a_decisions_page_is_read_by_the_staff(request, client_as, ceo, qa, persona):
    meeting = held_meeting(chair=ceo)
    decision = services.decision_add(actor=qa, meeting=meeting, text="Buy a second CMM")
    assert client_as(request.getfixturevalue(persona)).get(decision.get_absolute_url()).status_code == 200


def test_an_account_without_a_role_does_not_read_a_decision(client_as, ceo, qa, outsider):
    decision = services.decision_add(actor=qa, meeting=held_meeting(chair=ceo), text="Buy a second CMM")
    assert client_as(outsider).get(decision.get_absolute_url()).status_code == 403


def test_an_action_is_raised_from_the_decisions_page(client_as, ceo, qa, dept_manager):
    decision = services.decision_add(actor=qa, meeting=held_meeting(chair=ceo), text="Buy a second CMM")
    client = client_as(qa)
    url = reverse("reviews:decision-action-add", args=[decision.pk])
    data = {"title": "Get three quotes", "owner": dept_manager.person.pk, "due_date": due(), "priority": "medium"}
    bad = client.post(url, {**data, "due_date": "", "next": "decision"})
    assert bad.status_code == 400
    assert 'value="Get three quotes"' in bad.content.decode()
    response = client.post(url, {**data, "next": "decision"})
    assert response.status_code == 302
    assert response["Location"] == decision.get_absolute_url()
    assert Action.objects.get().decision == decision


def test_a_review_output_creates_a_resource_request_and_proposes_a_target_revision(client_as, ceo, qa):
    meeting = held_meeting(chair=ceo, review=True)
    output = services.decision_add(
        actor=qa, meeting=meeting, text="Two new height gauges", output_category="resource-need", owner=ceo.person
    )
    client = client_as(ceo)
    page = client.get(output.get_absolute_url()).content.decode()
    assert "Create resource request" in page
    assert "Propose target revision" in page
    url = reverse("reviews:decision-resource-request", args=[output.pk])
    data = {
        "title": "Height gauges",
        "category": "equipment",
        "amount": "2400",
        "currency": "",
        "needed_by": due(30),
        "justification": "Gauge R&R failed.",
    }
    bad = client.post(url, {**data, "amount": ""})
    assert bad.status_code == 400
    assert 'value="Height gauges"' in bad.content.decode()
    assert client.post(url, data).status_code == 302
    assert list(output.resource_requests.values_list("title", flat=True)) == ["Height gauges"]
    objective = ObjectiveFactory(due_date=timezone.localdate() + datetime.timedelta(days=200))
    url = reverse("reviews:decision-target-revision", args=[output.pk])
    revision = {"objective": objective.pk, "new_target": "1.5", "effective_from": due(0), "reason": ""}
    missing_reason = client.post(url, revision)
    assert missing_reason.status_code == 400
    assert "Give the reason" in missing_reason.content.decode()
    assert client.post(url, {**revision, "reason": "New automated line"}).status_code == 302
    assert output.target_revisions.count() == 1
    assert ResourceRequest.objects.count() == 1


def test_follow_up_needs_the_lower_apps_permissions(client_as, ceo, qa, auditor, employee):
    meeting = held_meeting(chair=ceo, review=True)
    output = services.decision_add(actor=qa, meeting=meeting, text="Gauges", output_category="resource-need")
    for user in (auditor, employee):
        client = client_as(user)
        assert client.post(reverse("reviews:decision-resource-request", args=[output.pk]), {}).status_code == 403
        assert client.post(reverse("reviews:decision-target-revision", args=[output.pk]), {}).status_code == 403
        assert client.post(reverse("reviews:decision-action-add", args=[output.pk]), {}).status_code == 403
    page = client_as(auditor).get(output.get_absolute_url()).content.decode()
    assert "Create resource request" not in page
    assert "Raise action" not in page
