"""Top management's attendance of quality meetings: the selector, the page, the dashboard panel, the API."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from reviews.models.meetings import Meeting
from reviews.selectors.meetings import top_management_attendance
from reviews.views.meetings import attendance_panel
from tests.leadership.factories import PersonFactory
from tests.reviews.factories import MeetingFactory, MeetingTypeFactory
from tests.reviews.factories_meetings import chair_person, held_meeting

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def board(ceo):
    """Three top managers (the CEO attends, David rarely, Nina never) and a year of meetings."""
    david, nina = chair_person(user__first_name="David"), chair_person(user__first_name="Nina")
    chair_person(user__first_name="Gone", user__is_active=False)
    ceo_person = ceo.person
    quality = MeetingTypeFactory(name="Monthly quality meeting")
    operations = MeetingTypeFactory(name="Operations meeting", is_quality_meeting=False)
    held_meeting(quality, at(2026, 2, 10, 10, 0), present=[ceo_person], absent=[david, nina])
    held_meeting(quality, at(2025, 12, 10, 10, 0), present=[ceo_person], absent=[david])
    held_meeting(quality, at(2025, 6, 1, 10, 0), present=[david], absent=[ceo_person], status=Meeting.Status.SIGNED)
    # Outside the 12 months, in a type that does not count, not held: none of these count as held.
    held_meeting(quality, at(2025, 3, 9, 10, 0), present=[david, ceo_person])
    held_meeting(operations, at(2026, 3, 1, 10, 0), present=[david, nina])
    MeetingFactory(type=quality, planned_start=at(2026, 3, 20, 10, 0))
    MeetingFactory(type=quality, planned_start=at(2026, 1, 20, 10, 0), status=Meeting.Status.CANCELLED)
    return {"ceo": ceo_person, "david": david, "nina": nina}


def rows_by_name(data) -> dict:
    return {row["person"].user.first_name or row["person"].user.username: row for row in data["rows"]}


def test_attended_against_held_over_six_and_twelve_months(board):
    data = top_management_attendance(TODAY)

    assert [(w["months"], w["since"], w["held"]) for w in data["windows"]] == [
        (6, datetime.date(2025, 9, 10), 2),
        (12, datetime.date(2025, 3, 10), 3),
    ]
    rows = rows_by_name(data)
    assert set(rows) == {board["ceo"].user.first_name, "David", "Nina"}
    ceo = rows[board["ceo"].user.first_name]
    assert [(c["attended"], c["held"], c["rate"], c["low"]) for c in ceo["windows"]] == [
        (2, 2, 100, False),
        (2, 3, 67, False),
    ]
    assert ceo["last_attended"] == at(2026, 2, 10, 10, 0)
    assert not ceo["flagged"]


def test_below_half_is_flagged_and_so_is_attending_none(board):
    rows = rows_by_name(top_management_attendance(TODAY))

    david, nina = rows["David"], rows["Nina"]
    assert [(c["attended"], c["invited"], c["rate"], c["low"]) for c in david["windows"]] == [
        (0, 2, 0, True),
        (1, 3, 33, True),
    ]
    assert david["flagged"]
    assert not david["none_attended"]
    assert david["last_attended"] == at(2025, 6, 1, 10, 0)
    assert nina["none_attended"]
    assert nina["flagged"]
    assert nina["last_attended"] is None
    assert [c["invited"] for c in nina["windows"]] == [1, 1]


def test_with_no_quality_meeting_held_nobody_is_flagged(ceo):
    data = top_management_attendance(TODAY)

    (row,) = data["rows"]
    assert [(c["held"], c["rate"], c["low"]) for c in row["windows"]] == [(0, None, False), (0, None, False)]
    assert not row["flagged"]
    assert data["flagged_count"] == 0


def test_exactly_half_is_not_flagged(ceo):
    quality = MeetingTypeFactory()
    held_meeting(quality, at(2026, 2, 1, 10, 0), present=[ceo.person])
    held_meeting(quality, at(2026, 3, 1, 10, 0), absent=[ceo.person])

    (row,) = top_management_attendance(TODAY)["rows"]

    assert [(c["rate"], c["low"]) for c in row["windows"]] == [(50, False), (50, False)]


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"])
def test_management_quality_staff_and_auditors_see_the_page(request, client_as, persona, board):
    response = client_as(request.getfixturevalue(persona)).get(reverse("reviews:attendance"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "attended none in 12 months" in html
    assert "1 of 3" in html
    assert "table-danger" in html


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_employees_do_not(request, client_as, persona):
    assert client_as(request.getfixturevalue(persona)).get(reverse("reviews:attendance")).status_code == 403


@pytest.mark.parametrize("managers", [2, 12])
def test_page_query_count_does_not_grow(client_as, mgmt_rep, managers, django_assert_num_queries):
    people = [chair_person() for _ in range(managers)]
    quality = MeetingTypeFactory()
    for month in range(1, managers + 1):
        held_at = at(2025, 4, 5, 10, 0) + datetime.timedelta(days=25 * month)
        held_meeting(quality, held_at, present=people[:month], absent=people[month:])
    client = client_as(mgmt_rep)
    # session, user, permissions (user + group), meetings held per period, the top managers, their
    # attendance counts, groups for the role badge.
    with django_assert_num_queries(8):
        assert client.get(reverse("reviews:attendance")).status_code == 200


def test_the_dashboard_panel_shows_it_compactly(board, mgmt_rep):
    request = RequestFactory().get("/")
    request.user = mgmt_rep

    html = render_to_string(
        "reviews/meetings/partials/_dashboard_attendance.html", {"data": attendance_panel(request)}, request=request
    )

    assert "Top management at quality meetings" in html
    assert "David" in html
    assert "0 of 2" in html
    assert "attended none in 12 months" in html
    assert "2 top managers attended fewer than 50 %" in html
    assert reverse("reviews:attendance") in html


def test_the_api_answers_the_same_figures(api_as, qa, board):
    response = api_as(qa).get("/api/meetings/attendance/")

    assert response.status_code == 200
    body = response.json()
    assert [w["held"] for w in body["windows"]] == [2, 3]
    david = next(r for r in body["rows"] if r["person"] == board["david"].pk)
    assert david["flagged"] is True
    assert david["windows"][1] == {"months": 12, "attended": 1, "held": 3, "invited": 3, "rate": 33, "low": True}


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_the_api_refuses_employees(request, api_as, persona):
    assert api_as(request.getfixturevalue(persona)).get("/api/meetings/attendance/").status_code == 403


def test_the_api_asks_strangers_to_authenticate(api_client):
    assert api_client.get("/api/meetings/attendance/").status_code == 401


def test_a_person_outside_top_management_is_not_listed(ceo):
    quality = MeetingTypeFactory()
    engineer = PersonFactory(roles=["QA staff"])
    held_meeting(quality, at(2026, 2, 1, 10, 0), present=[engineer])

    assert [row["person"] for row in top_management_attendance(TODAY)["rows"]] == [ceo.person]
