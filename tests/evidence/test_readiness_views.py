"""The readiness page, its dashboard panel and /api/readiness/: permissions both ways, the filter, query counts."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from evidence.selectors.readiness import readiness_panel, readiness_report
from leadership.roles import Role
from reviews.models.meetings import Attendee
from tests.evidence.test_clauses_factories import approved_request, commitment_entry, now, signed_meeting
from tests.leadership.factories import PersonFactory
from tests.leadership.factories_customers import CustomerFeedbackFactory
from tests.leadership.factories_feedback import EmployeeFeedbackFactory
from tests.leadership.factories_policy import PolicyAcknowledgementFactory, PolicyVersionFactory
from tests.leadership.factories_positions import PositionAcknowledgementFactory, PositionHolderFactory
from tests.objectives.factories_measurements import MeasurementFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.reviews.factories import ActionFactory, AgendaItemFactory, AttendeeFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db

READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]
OTHERS = ["employee", "outsider"]
PAGE = "evidence:readiness"


def a_gap():
    """A policy acknowledged by 1 of 3 people: 5.2.2.b weak."""
    version = PolicyVersionFactory(published=True)
    PolicyAcknowledgementFactory(version=version, person=PersonFactory())
    PersonFactory.create_batch(2)


# The page ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_the_overall_score_clause_bars_and_every_item_with_status(client_as, persona, request):
    a_gap()

    response = client_as(request.getfixturevalue(persona)).get(reverse(PAGE))

    assert response.status_code == 200
    report = response.context["report"]
    html = response.content.decode()
    assert f'data-testid="overall-score">{report.overall}%' in html
    assert 'aria-label="5.2 readiness"' in html
    assert html.count('id="item-') == len(report.items) == 53
    assert "acknowledged by 1 of" in html
    assert reverse("leadership:policy-coverage") in html


@pytest.mark.parametrize("persona", OTHERS)
def test_roles_without_the_catalogue_permission_get_403(client_as, persona, request):
    assert client_as(request.getfixturevalue(persona)).get(reverse(PAGE)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse(PAGE))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_gaps_only_keeps_the_weak_and_missing_items_and_htmx_gets_the_partial(client_as, mgmt_rep):
    a_gap()
    commitment_entry(["5.1.1.a"])
    client = client_as(mgmt_rep)

    response = client.get(reverse(PAGE), {"gaps": "1"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "evidence/readiness/partials/_items.html"
    shown = [i.id for c in response.context["clauses"] for i in c["items"]]
    assert shown
    assert "5.2.2.b" in shown
    assert all(i.is_gap for c in response.context["clauses"] for i in c["items"])
    assert len(shown) == len(response.context["gaps"])


# The dashboard panel -----------------------------------------------------------------------------------------


def test_the_panel_shows_the_overall_score_the_number_of_gaps_and_the_first_five_with_links(mgmt_rep):
    a_gap()
    request = RequestFactory().get("/")
    request.user = mgmt_rep

    data = readiness_panel(request)
    html = render_to_string("evidence/readiness/partials/_dashboard.html", {"data": data})

    assert data["gaps_count"] == len(readiness_report().gaps)
    assert len(data["top_gaps"]) == 5
    assert f"{data['report'].overall}%" in html
    assert f"{data['gaps_count']} gaps" in html
    assert html.count('class="small ms-1 text-nowrap"') == 5  # one "fix it" link per gap
    assert reverse(PAGE) + "?gaps=1" in html


def test_the_panel_is_kept_for_the_configured_time_and_says_when_it_was_checked(mgmt_rep, settings):
    import time_machine
    from django.core.cache import cache

    settings.CLAUSE5_READINESS_PANEL_CACHE_SECONDS = 60
    cache.clear()
    request = RequestFactory().get("/")
    request.user = mgmt_rep
    start = timezone.now().replace(hour=9, minute=14, second=0)
    with time_machine.travel(start, tick=False):
        first = readiness_panel(request)
        html = render_to_string("evidence/readiness/partials/_dashboard.html", {"data": first})
        assert f"Checked at {timezone.localtime(start):%H:%M}" in html
        a_gap()
        assert readiness_panel(request)["gaps_count"] == first["gaps_count"]  # kept: not checked again yet
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        fresh = len(readiness_report().gaps)
        assert fresh != first["gaps_count"]
        assert readiness_panel(request)["gaps_count"] == fresh  # checked again
    cache.clear()


# The API -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_readers_get_overall_clauses_and_items_with_status_reasons_and_links(api_as, persona, request):
    a_gap()

    response = api_as(request.getfixturevalue(persona)).get(reverse("readiness"))

    assert response.status_code == 200
    body = response.json()
    assert body["overall"] == readiness_report().overall
    assert [c["clause"] for c in body["clauses"]] == ["5.1.1", "5.1.2", "5.2", "5.3", "6.2", "9.3"]
    assert len(body["items"]) == 53
    item = next(i for i in body["items"] if i["id"] == "5.2.2.b")
    assert item["status"] == "weak"
    assert any("acknowledged by 1 of" in r for r in item["reasons"])
    assert {"label": "Acknowledgement coverage", "url": "/leadership/policy/coverage/"} in item["links"]
    assert body["thresholds"]["acknowledgement_pct"] == 90


def test_the_api_lists_only_the_gaps_on_request(api_as, auditor):
    a_gap()

    body = api_as(auditor).get(reverse("readiness"), {"gaps": "true"}).json()

    assert len(body["items"]) == body["gaps"] == body["weak"] + body["missing"]
    assert all(i["status"] != "evidenced" for i in body["items"])


@pytest.mark.parametrize("persona", OTHERS)
def test_the_api_refuses_roles_without_the_permission(api_as, persona, request):
    assert api_as(request.getfixturevalue(persona)).get(reverse("readiness")).status_code == 403


def test_the_api_answers_401_to_anonymous_callers(api_client):
    assert api_client.get(reverse("readiness")).status_code == 401


def test_the_api_refuses_writes(api_as, mgmt_rep):
    assert api_as(mgmt_rep).post(reverse("readiness"), {}).status_code == 405


# Query counts ----------------------------------------------------------------------------------------------------


def grow(n: int) -> None:
    """n records of every kind the rules read, each set a gap or an evidenced record."""
    today = timezone.localdate()
    quality = MeetingTypeFactory(name="Monthly quality meeting", is_quality_meeting=True)
    version = PolicyVersionFactory(published=True)
    for k in range(n):
        manager = PersonFactory(roles=[Role.TOP_MANAGEMENT.value])
        meeting = signed_meeting(type=quality, held_at=now() - datetime.timedelta(days=5 + k))
        AttendeeFactory(meeting=meeting, person=manager, status=Attendee.Status.PRESENT)
        PolicyAcknowledgementFactory(version=version, person=manager)
        holder = PositionHolderFactory(position__requirement_ids=["5.3.a"])
        if k % 2:  # half the holders acknowledged their description
            PositionAcknowledgementFactory(position=holder.position, person=holder.person)
        CustomerFeedbackFactory(received_date=today - datetime.timedelta(days=30))
        EmployeeFeedbackFactory(submitted_at=now() - datetime.timedelta(days=60))
        ActionFactory(due_date=today - datetime.timedelta(days=40))
        objective = ObjectiveFactory()
        MeasurementFactory(objective=objective)
        AgendaItemFactory(meeting=meeting).objectives.add(objective)
        approved_request()
        commitment_entry(["5.1.1.a"])


@pytest.mark.parametrize("rows", [1, 12])
def test_the_report_runs_a_fixed_number_of_queries(rows, django_assert_num_queries):
    grow(rows)

    # 1 tags and 26 per kind of the mapping (an aggregate, or the item lists of the kinds that list
    # them); management review: the reviews of the window (none here, so no inputs to prefetch), the
    # last signed one, the schedules; the review in preparation; attendance: held, managers,
    # attended; policy: published, in scope, acknowledged; matrix: positions and their holders;
    # customer feedback; employee feedback; resources; actions; objectives: objectives,
    # measurements, agenda items, review data; the commitment log.
    with django_assert_num_queries(48):
        report = readiness_report()
    assert len(report.items) == 53


@pytest.mark.parametrize("rows", [1, 12])
def test_the_page_runs_a_fixed_number_of_queries(client_as, mgmt_rep, rows, django_assert_num_queries):
    grow(rows)
    client = client_as(mgmt_rep)

    # The report's 48, plus the shell's 5 (session, user, permissions and groups for the menus).
    with django_assert_num_queries(53):
        assert client.get(reverse(PAGE)).status_code == 200
