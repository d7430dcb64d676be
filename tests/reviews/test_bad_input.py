"""Meetings, minutes, actions and management reviews given bad input: refused by field, nothing saved, accepted
text shown escaped in pages and in the signed minutes' PDF."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from reviews.models.actions import Action
from reviews.models.management_reviews import ReviewInput
from reviews.models.meetings import AgendaItem, Decision, Meeting
from reviews.services import minutes as minutes_services
from tests.bad_input import (
    HUGE,
    IMG,
    LAST_DAY,
    NUL,
    PAYLOADS,
    SCRIPT,
    assert_api_refused,
    assert_escaped,
    assert_form_refused,
)
from tests.leadership.factories import PersonFactory
from tests.objectives.factories_risks import RiskFactory
from tests.reviews.factories import AttendeeFactory, MeetingFactory, MeetingTypeFactory
from tests.reviews.factories_management_reviews import prepare, review_input
from tests.reviews.factories_meetings import chair_person
from tests.reviews.factories_minutes import held_meeting

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}
Item = ReviewInput.Item


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


# Planning a meeting ------------------------------------------------------------------------------------------------


def meeting_form(**overrides) -> dict:
    data = {
        "type": MeetingTypeFactory(default_duration_minutes=90).pk,
        "title": "Monthly quality meeting",
        "planned_start": "2026-07-01T10:00",
        "duration_minutes": "",
        "place": "",
        "link": "",
        "department": "",
        "chair": chair_person().pk,
        "minute_taker": "",
    }
    data.update(overrides)
    return data


MEETING_BAD = [
    pytest.param({"title": HUGE}, "title", "at most 200 characters", id="title-huge"),
    pytest.param({"title": NUL}, "title", "null characters", id="title-nul"),
    pytest.param({"place": NUL}, "place", "null characters", id="place-nul"),
    pytest.param({"planned_start": "next tuesday"}, "planned_start", "valid date", id="start-text"),
    pytest.param({"planned_start": ""}, "planned_start", "required", id="start-missing"),
    pytest.param({"planned_start": f"{LAST_DAY}T23:30"}, "planned_start", "plausible", id="start-last-day"),
    pytest.param({"planned_start": "0001-01-01T00:00"}, "planned_start", "plausible", id="start-year-1"),
    pytest.param({"duration_minutes": "0"}, "duration_minutes", "5", id="duration-zero"),
    pytest.param({"duration_minutes": "100000"}, "duration_minutes", "1440", id="duration-huge"),
    pytest.param({"duration_minutes": "1.5"}, "duration_minutes", "whole number", id="duration-fraction"),
    pytest.param({"link": "javascript:alert(1)"}, "link", "valid url", id="link-javascript"),
    pytest.param({"link": IMG}, "link", "valid url", id="link-markup"),
    pytest.param({"chair": "999999"}, "chair", "valid choice", id="chair-unknown"),
    pytest.param({"type": "abc"}, "type", "valid choice", id="type-not-an-id"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), MEETING_BAD)
def test_the_meeting_form_names_the_bad_field_and_saves_nothing(client_as, qa, overrides, field, message):
    response = client_as(qa).post(reverse("reviews:meeting-create"), meeting_form(**overrides))

    assert_form_refused(response, field, contains=message)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), MEETING_BAD)
def test_the_meeting_api_names_the_bad_field_and_saves_nothing(api_as, qa, overrides, field, message):
    data = {k: v for k, v in meeting_form(**overrides).items() if v != ""}

    response = api_as(qa).post(reverse("meeting-list"), data)

    assert_api_refused(response, field)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_meeting_is_shown_as_text(client_as, qa, employee, payload):
    data = meeting_form(title=f"Review {payload}", place=payload, invitees=[employee.person.pk])

    assert client_as(qa).post(reverse("reviews:meeting-create"), data).status_code == 302

    meeting = Meeting.objects.get()
    client = client_as(employee)
    assert_escaped(client.get(meeting.get_absolute_url()).content.decode(), payload)
    assert_escaped(client.get(reverse("reviews:meeting-list")).content.decode(), payload)


# The agenda --------------------------------------------------------------------------------------------------------


@pytest.fixture
def planned(qa):
    meeting = MeetingFactory(planned_start=NOW + datetime.timedelta(days=7))
    AttendeeFactory(meeting=meeting, person=meeting.chair)
    return meeting


AGENDA_BAD = [
    pytest.param({"title": ""}, "title", "required", id="title-empty"),
    pytest.param({"title": HUGE}, "title", "at most 200 characters", id="title-huge"),
    pytest.param({"title": NUL}, "title", "null characters", id="title-nul"),
    pytest.param({"description": NUL}, "description", "null characters", id="description-nul"),
    pytest.param({"duration_minutes": "-5"}, "duration_minutes", "", id="duration-negative"),
    pytest.param({"duration_minutes": "99999999999"}, "duration_minutes", "", id="duration-overflow"),
    pytest.param({"duration_minutes": "ten"}, "duration_minutes", "whole number", id="duration-text"),
    pytest.param({"risks": ["999999"]}, "risks", "valid choice", id="risk-unknown"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), AGENDA_BAD)
def test_an_agenda_item_names_the_bad_field_and_saves_nothing(client_as, qa, planned, overrides, field, message):
    data = {"title": "Scrap on the 5-axis cell", "duration_minutes": "15", **overrides}

    response = client_as(qa).post(reverse("reviews:meeting-agenda-add", args=[planned.pk]), data, **HTMX)

    assert_form_refused(response, field, form_key="add_form", contains=message)
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_an_agenda_item_is_shown_as_text(client_as, qa, employee, planned, payload):
    data = {"title": payload, "description": payload, "duration_minutes": "15", "risks": [RiskFactory().pk]}

    response = client_as(qa).post(reverse("reviews:meeting-agenda-add", args=[planned.pk]), data, **HTMX)

    assert response.status_code == 200
    assert_escaped(response.content.decode(), payload)
    assert AgendaItem.objects.get().title == payload
    assert_escaped(client_as(employee).get(planned.get_absolute_url()).content.decode(), payload)


# The live recording page: decisions and actions ------------------------------------------------------------------


@pytest.fixture
def held(ceo):
    return held_meeting(chair=ceo, items=1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"text": ""}, "This field is required.", id="text-empty"),
        pytest.param({"text": NUL}, "Null characters are not allowed.", id="text-nul"),
        pytest.param({"text": "x", "owner": "abc"}, "Select a valid choice", id="owner-not-an-id"),
        pytest.param({"text": "x", "agenda_item": "999999"}, "Select a valid choice", id="item-of-no-meeting"),
    ],
)
def test_a_bad_decision_is_refused_with_its_message_and_saves_nothing(client_as, qa, held, data, message):
    response = client_as(qa).post(reverse("reviews:decision-add", args=[held.pk]), data, **HTMX)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Decision.objects.exists()


def test_a_decision_on_another_meetings_item_is_refused(client_as, ceo, qa, held):
    other = held_meeting(chair=ceo, items=1)

    response = client_as(qa).post(
        reverse("reviews:decision-add", args=[held.pk]),
        {"text": "Buy a CMM.", "agenda_item": other.agenda_items.get().pk},
        **HTMX,
    )

    assert response.status_code == 400
    assert not Decision.objects.exists()


@pytest.fixture
def decision(qa, held):
    return minutes_services.decision_add(actor=qa, meeting=held, text="Buy a second CMM.")


ACTION_BAD = [
    pytest.param({"title": ""}, "title", id="title-empty"),
    pytest.param({"title": HUGE}, "title", id="title-huge"),
    pytest.param({"title": NUL}, "title", id="title-nul"),
    pytest.param({"due_date": "soon"}, "due_date", id="due-text"),
    pytest.param({"due_date": "2026-02-30"}, "due_date", id="due-impossible"),
    pytest.param({"due_date": "2020-01-01"}, "due_date", id="due-in-the-past"),
    pytest.param({"due_date": LAST_DAY}, "due_date", id="due-last-day"),
    pytest.param({"priority": "yesterday"}, "priority", id="priority-unknown"),
    pytest.param({"owner": ""}, "owner", id="owner-missing"),
]


@pytest.mark.parametrize(("overrides", "field"), ACTION_BAD)
def test_a_bad_action_on_a_decision_is_refused_and_saves_nothing(client_as, qa, decision, overrides, field):
    data = {"title": "Get three quotes", "owner": qa.person.pk, "due_date": "2026-04-10", "priority": "high"}
    data.update(overrides)

    response = client_as(qa).post(reverse("reviews:decision-action-add", args=[decision.pk]), data, **HTMX)

    assert response.status_code == 400
    assert f'name="{field}"' in response.content.decode()
    assert "is-invalid" in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert not Action.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_typed_on_the_live_page_is_shown_as_text(client_as, qa, employee, held, payload):
    client = client_as(qa)
    item = held.agenda_items.get()
    response = client.post(reverse("reviews:agenda-item-minutes", args=[item.pk]), {"minutes": payload}, **HTMX)
    assert response.status_code == 200
    response = client.post(reverse("reviews:decision-add", args=[held.pk]), {"text": payload}, **HTMX)
    assert response.status_code == 200
    decision = Decision.objects.get()
    data = {"title": payload, "owner": qa.person.pk, "due_date": "2026-04-10", "priority": "high"}
    response = client.post(reverse("reviews:decision-action-add", args=[decision.pk]), data, **HTMX)
    assert response.status_code == 200
    assert_escaped(response.content.decode(), payload)

    for url in (
        reverse("reviews:meeting-record", args=[held.pk]),
        held.get_absolute_url(),
        decision.get_absolute_url(),
        Action.objects.get().get_absolute_url(),
        reverse("reviews:action-list"),
    ):
        assert_escaped(client_as(qa).get(url).content.decode(), payload)
    assert_escaped(client_as(employee).get(held.get_absolute_url()).content.decode(), payload)


# The action register -----------------------------------------------------------------------------------------------


def action_form(**overrides) -> dict:
    risk = RiskFactory()
    data = {
        "title": "Add a deburr step after cross-drilling",
        "description": "Brush deburr all ports.",
        "owner": PersonFactory().pk,
        "department": "",
        "due_date": "2026-04-10",
        "priority": "high",
        "source": "risk",
        "record": risk.pk,
    }
    data.update(overrides)
    return data


REGISTER_BAD = [
    pytest.param({"title": HUGE}, "title", "at most 200 characters", id="title-huge"),
    pytest.param({"title": NUL}, "title", "null characters", id="title-nul"),
    pytest.param({"description": NUL}, "description", "null characters", id="description-nul"),
    pytest.param({"due_date": "2026-03-01"}, "due_date", "past", id="due-in-the-past"),
    pytest.param({"due_date": "10/04/2026x"}, "due_date", "valid date", id="due-text"),
    pytest.param({"owner": "-1"}, "owner", "valid choice", id="owner-negative"),
    pytest.param({"record": "abc"}, "__all__", "lost the record", id="record-not-an-id"),
    pytest.param({"record": "999999"}, "__all__", "no longer exists", id="record-gone"),
    pytest.param({"source": "<script>"}, "__all__", "lost the record", id="source-markup"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), REGISTER_BAD)
def test_the_action_form_names_the_bad_field_and_saves_nothing(client_as, qa, overrides, field, message):
    response = client_as(qa).post(reverse("reviews:action-create"), action_form(**overrides))

    assert_form_refused(response, field, contains=message)
    assert not Action.objects.exists()


def test_the_action_api_refuses_bad_fields_and_saves_nothing(api_as, qa):
    client = api_as(qa)
    risk = RiskFactory()
    good = {
        "title": "Add a deburr step",
        "owner": PersonFactory().pk,
        "due_date": "2026-04-10",
        "priority": "high",
        "source": "risk",
        "risk": risk.pk,
    }
    for changes, field in [
        ({"title": HUGE}, "title"),
        ({"title": NUL}, "title"),
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"due_date": 20260410}, "due_date"),
        ({"priority": ["high"]}, "priority"),
        ({"owner": "me"}, "owner"),
    ]:
        response = client.post(reverse("action-list"), {**good, **changes}, format="json")
        assert_api_refused(response, field)
    assert not Action.objects.exists()


# Management review entries -----------------------------------------------------------------------------------------


ENTRY_BAD = [
    pytest.param({"issue": [""]}, "Issue is required", id="issue-missing"),
    pytest.param({"issue": ["x" * 201]}, "Issue is longer than 200 characters", id="issue-too-long"),
    pytest.param({"change": [HUGE]}, "What changed is longer than 1000 characters", id="change-huge"),
    pytest.param({"issue": [NUL]}, "Issue contains a null character", id="issue-nul"),
    pytest.param({"kind": [SCRIPT]}, "External or internal must be external or internal", id="kind-markup"),
]


@pytest.mark.parametrize(("overrides", "message"), ENTRY_BAD)
def test_bad_review_entries_are_refused_naming_entry_and_field(client_as, ceo, overrides, message):
    target = review_input(prepare(ceo), Item.ISSUES)
    data = {"issue": ["Energy prices"], "kind": ["external"], "change": ["Up 30%"], "effect": ["Costs"], "save": "1"}
    data.update(overrides)

    response = client_as(ceo).post(reverse("reviews:review-input-entries", args=[target.pk]), data, **HTMX)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Entry 1: " + message in page.replace("&quot;", '"')
    target.refresh_from_db()
    assert target.entries == []


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        pytest.param([{"provider": NUL, "rating": "good"}], "Provider contains a null character", id="nul"),
        pytest.param([{"provider": "Midland", "rating": "good", "on_time_pct": "1e400"}], "0 to 100", id="pct-huge"),
        pytest.param([{"provider": "Midland", "rating": "good", "on_time_pct": "NaN"}], "0 to 100", id="pct-nan"),
        pytest.param([{"provider": "Midland", "rating": "good", "quality_issues": "2.5"}], "whole", id="count-frac"),
        pytest.param([{"provider": ["Midland"], "rating": "good"}], "must be text", id="provider-list"),
        pytest.param([{"provider": "Midland", "rating": "good", "extra": "x"}], "unknown field", id="unknown-field"),
        pytest.param(["Midland"], "dictionary", id="entry-not-an-object"),
        pytest.param([{"provider": "M", "rating": "good"}] * 51, "at most 50", id="too-many"),
    ],
)
def test_bad_review_entries_through_the_api_are_400(api_as, ceo, entries, message):
    target = review_input(prepare(ceo), Item.PROVIDERS)

    response = api_as(ceo).patch(f"/api/review-inputs/{target.pk}/", {"entries": entries}, format="json")

    assert_api_refused(response, "entries", contains=message)
    target.refresh_from_db()
    assert target.entries == []


def test_review_entries_that_are_not_a_list_are_400(api_as, ceo):
    target = review_input(prepare(ceo), Item.PROVIDERS)

    response = api_as(ceo).patch(f"/api/review-inputs/{target.pk}/", {"entries": "Midland"}, format="json")

    assert response.status_code == 400
    assert "entries" in response.json()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_review_entries_is_shown_as_text(client_as, ceo, auditor, payload):
    review = prepare(ceo)
    target = review_input(review, Item.ISSUES)
    data = {"issue": [payload], "kind": ["external"], "change": [payload], "effect": ["Costs"], "save": "1"}

    assert client_as(ceo).post(reverse("reviews:review-input-entries", args=[target.pk]), data).status_code == 302

    target.refresh_from_db()
    assert target.entries[0]["issue"] == payload
    assert_escaped(client_as(auditor).get(review.get_absolute_url()).content.decode(), payload)
