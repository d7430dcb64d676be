"""Meeting type pages: the list, a type with its schedule's next occurrences, create and edit,
retiring, and planning now."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.models.meetings import Meeting, MeetingType
from tests.leadership.factories import PersonFactory
from tests.reviews.factories import MeetingTypeFactory
from tests.reviews.factories_meetings import chair_person, scheduled_type

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_data(**overrides) -> dict:
    return {
        "name": "Monthly quality meeting",
        "category": "quality",
        "description": "Scrap, on-time delivery, complaints and open actions.",
        "is_quality_meeting": "on",
        "frequency": "monthly",
        "first_occurrence": "2026-01-14T10:00",
        "plan_ahead": "3",
        "default_duration_minutes": "60",
        "default_place": "Board room",
        "default_link": "",
        "default_chair": chair_person().pk,
        "default_agenda": "Actions from the last meeting\nScrap and rework\nCustomer complaints",
        "agenda_reminder_days": "5",
        **overrides,
    }


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_every_role_sees_the_types(request, client_as, persona):
    meeting_type = scheduled_type(datetime.datetime(2026, 1, 14, 10, 0, tzinfo=LONDON))
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("reviews:meeting-type-list")).status_code == 200
    assert client.get(meeting_type.get_absolute_url()).status_code == 200


def test_an_account_without_a_role_does_not(client_as, outsider):
    meeting_type = MeetingTypeFactory()
    client = client_as(outsider)

    assert client.get(reverse("reviews:meeting-type-list")).status_code == 403
    assert client.get(meeting_type.get_absolute_url()).status_code == 403


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "qa", "auditor", "employee", "outsider"])
def test_only_the_management_representative_configures_types(request, client_as, persona):
    meeting_type = scheduled_type(datetime.datetime(2026, 1, 14, 10, 0, tzinfo=LONDON))
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("reviews:meeting-type-create")).status_code == 403
    assert client.post(reverse("reviews:meeting-type-create"), form_data()).status_code == 403
    assert client.post(reverse("reviews:meeting-type-update", args=[meeting_type.pk]), form_data()).status_code == 403
    for name in ("meeting-type-deactivate", "meeting-type-activate", "meeting-type-plan"):
        assert client.post(reverse(f"reviews:{name}", args=[meeting_type.pk])).status_code == 403
    assert MeetingType.objects.count() == 1
    assert not Meeting.objects.exists()


def test_a_new_scheduled_type_plans_its_next_meetings(client_as, mgmt_rep):
    response = client_as(mgmt_rep).post(reverse("reviews:meeting-type-create"), form_data(plan="on"))

    meeting_type = MeetingType.objects.get()
    assert response["Location"] == meeting_type.get_absolute_url()
    assert meeting_type.first_occurrence == datetime.datetime(2026, 1, 14, 10, 0, tzinfo=datetime.UTC)
    assert Meeting.objects.filter(type=meeting_type, scheduled=True).count() == 3


def test_a_schedule_without_a_default_chair_is_refused_on_the_form(client_as, mgmt_rep):
    response = client_as(mgmt_rep).post(reverse("reviews:meeting-type-create"), form_data(default_chair=""))

    assert response.status_code == 200
    assert "needs a default chair" in response.context["form"].errors["default_chair"][0]
    assert not MeetingType.objects.exists()


def test_a_schedule_without_its_first_meeting_is_refused_on_the_form(client_as, mgmt_rep):
    response = client_as(mgmt_rep).post(reverse("reviews:meeting-type-create"), form_data(first_occurrence=""))

    assert "first meeting" in response.context["form"].errors["first_occurrence"][0]


def test_a_type_without_a_schedule_needs_no_chair(client_as, mgmt_rep):
    client_as(mgmt_rep).post(
        reverse("reviews:meeting-type-create"),
        form_data(name="Operations meeting", frequency="none", first_occurrence="", default_chair="", plan="on"),
    )

    assert MeetingType.objects.get().frequency == "none"
    assert not Meeting.objects.exists()


def test_editing_a_type(client_as, mgmt_rep):
    meeting_type = scheduled_type(datetime.datetime(2026, 1, 14, 10, 0, tzinfo=LONDON))
    invitee = PersonFactory()

    response = client_as(mgmt_rep).post(
        reverse("reviews:meeting-type-update", args=[meeting_type.pk]),
        form_data(name="Quality meeting", default_chair=meeting_type.default_chair_id, default_invitees=[invitee.pk]),
    )

    meeting_type.refresh_from_db()
    assert response.status_code == 302
    assert meeting_type.name == "Quality meeting"
    assert list(meeting_type.default_invitees.all()) == [invitee]
    assert not Meeting.objects.exists()


def test_the_type_page_shows_the_next_occurrences_and_what_is_planned(client_as, mgmt_rep):
    meeting_type = scheduled_type(datetime.datetime(2026, 1, 14, 10, 0, tzinfo=LONDON), plan_ahead=2)
    client = client_as(mgmt_rep)
    client.post(reverse("reviews:meeting-type-plan", args=[meeting_type.pk]))

    html = client.get(meeting_type.get_absolute_url()).content.decode()

    assert "Next occurrences" in html
    assert "Sat 14 Mar 2026, 10:00" in html
    assert "Tue 14 Apr 2026, 10:00" in html
    assert "Thu 14 May 2026, 10:00" in html
    assert "MTG-2026-001" in html
    assert "MTG-2026-002" in html
    assert "Planned nearer the time" in html


def test_planning_now_says_what_it_planned_and_then_that_nothing_was_missing(client_as, mgmt_rep):
    meeting_type = scheduled_type(datetime.datetime(2026, 1, 14, 10, 0, tzinfo=LONDON), plan_ahead=2)
    client = client_as(mgmt_rep)
    url = reverse("reviews:meeting-type-plan", args=[meeting_type.pk])

    assert "2 meetings planned: MTG-2026-001, MTG-2026-002." in messages_of(client.post(url))
    assert "were planned already" in messages_of(client.post(url))[-1]


def test_planning_a_type_without_a_chair_explains_why_not(client_as, mgmt_rep):
    meeting_type = scheduled_type(datetime.datetime(2026, 1, 14, 10, 0, tzinfo=LONDON))
    MeetingType.objects.filter(pk=meeting_type.pk).update(default_chair=None)
    client = client_as(mgmt_rep)

    response = client.post(reverse("reviews:meeting-type-plan", args=[meeting_type.pk]))

    assert "no default chair" in messages_of(response)[0]
    assert "cannot plan meetings" in client.get(meeting_type.get_absolute_url()).content.decode()


def test_retiring_and_using_a_type_again(client_as, mgmt_rep):
    meeting_type = MeetingTypeFactory()
    client = client_as(mgmt_rep)

    response = client.post(reverse("reviews:meeting-type-deactivate", args=[meeting_type.pk]))
    meeting_type.refresh_from_db()
    assert not meeting_type.is_active
    assert "retired" in messages_of(response)[0]
    assert client.get(reverse("reviews:meeting-type-deactivate", args=[meeting_type.pk])).status_code == 405

    client.post(reverse("reviews:meeting-type-activate", args=[meeting_type.pk]))
    meeting_type.refresh_from_db()
    assert meeting_type.is_active


def test_the_list_filters_types(client_as, qa):
    scheduled_type(datetime.datetime(2026, 1, 14, 10, 0, tzinfo=LONDON), name="Monthly quality meeting")
    MeetingTypeFactory(name="Operations meeting", category="operational", is_active=False)
    client = client_as(qa)

    def names(**params):
        return {t.name for t in client.get(reverse("reviews:meeting-type-list"), params).context["object_list"]}

    assert names(frequency="monthly") == {"Monthly quality meeting"}
    assert names(category="operational") == {"Operations meeting"}
    assert names(is_active="false") == {"Operations meeting"}
    assert names(q="quality") == {"Monthly quality meeting"}


@pytest.mark.parametrize("rows", [3, 30])
def test_type_list_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    for i in range(rows):
        scheduled_type(datetime.datetime(2026, 1, 14, 10, 0, tzinfo=LONDON), name=f"Type {i}")
    client = client_as(qa)
    # session, user, permissions (user + group), count for pagination, the page of types (default
    # chair joined; meetings counted and the next one found in subqueries), groups for the role badge.
    with django_assert_num_queries(7):
        assert client.get(reverse("reviews:meeting-type-list")).status_code == 200
