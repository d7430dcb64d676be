"""The risk and opportunity register through its pages: list, detail, create and edit, review, heat map."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from objectives.models.risks import Risk
from tests.leadership.factories import PersonFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.objectives.factories_risks import RiskFactory, grow_risks

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]
WRITERS = ["ceo", "mgmt_rep", "dept_manager", "qa"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_data(**overrides) -> dict:
    owner = overrides.pop("owner", None) or PersonFactory()
    return {
        "type": "risk",
        "title": "CMM calibration overdue",
        "description": "The Zeiss CMM's calibration lapsed; results since then may be challenged.",
        "source": "process",
        "likelihood": "4",
        "impact": "4",
        "treatment": "",
        "action": "",
        "owner": owner.pk,
        "department": owner.department_id,
        "status": "open",
        "next_review_date": "2026-04-30",
        **overrides,
    }


# Who sees the register ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_staff_who_keep_or_audit_the_register_see_it(request, client_as, persona):
    risk = RiskFactory()
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("objectives:risk-list")).status_code == 200
    assert client.get(risk.get_absolute_url()).status_code == 200
    assert client.get(reverse("objectives:risk-heat-map")).status_code == 200


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_other_staff_do_not_see_it(request, client_as, persona):
    risk = RiskFactory()
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("objectives:risk-list")).status_code == 403
    assert client.get(risk.get_absolute_url()).status_code == 403
    assert client.get(reverse("objectives:risk-heat-map")).status_code == 403


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("objectives:risk-list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


# The list ----------------------------------------------------------------------------------------


def test_the_list_filters_by_type_source_status_owner_department_band_and_overdue(client_as, qa):
    owner = PersonFactory()
    titanium = RiskFactory(title="Titanium", source="supplier", likelihood=4, impact=5, owner=owner)
    line2 = RiskFactory(title="Line 2 automation", type="opportunity", source="process", likelihood=3, impact=3)
    old = RiskFactory(title="Old", status="closed", likelihood=1, impact=1)
    late = RiskFactory(title="Late review", next_review_date=TODAY - datetime.timedelta(days=1), likelihood=2, impact=2)
    client = client_as(qa)

    def titles(**params):
        return {r.title for r in client.get(reverse("objectives:risk-list"), params).context["object_list"]}

    assert titles(type="opportunity") == {line2.title}
    assert titles(source="supplier") >= {titanium.title}
    assert titles(status="active") == {titanium.title, line2.title, late.title}
    assert titles(status="closed") == {old.title}
    assert titles(owner=owner.pk) == {titanium.title}
    assert titles(department=line2.department_id) == {line2.title}
    assert titles(band="critical") == {titanium.title}
    assert titles(band="medium") == {line2.title}
    assert titles(review_overdue="true") == {late.title}
    assert titles(likelihood=4, impact=5) == {titanium.title}
    assert titles(q="automation") == {line2.title}


def test_an_htmx_request_gets_only_the_table(client_as, qa):
    RiskFactory(title="Titanium")
    response = client_as(qa).get(reverse("objectives:risk-list"), HTTP_HX_REQUEST="true")
    assert next(t.name for t in response.templates) == "objectives/risks/partials/_table.html"
    assert "<h1>" not in response.content.decode()


@pytest.mark.parametrize("rows", [6, 60])
def test_list_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    grow_risks(rows)
    client = client_as(qa)
    # session, user, permissions (user + group), count for pagination, the page of risks (owner,
    # user, department and last reviewer joined; review_overdue annotated), the owner and
    # department drop-downs of the filter, groups for the role badge.
    with django_assert_num_queries(9):
        assert client.get(reverse("objectives:risk-list")).status_code == 200


# Creating and editing ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", WRITERS)
def test_managers_and_qa_register_a_risk(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))

    response = client.post(reverse("objectives:risk-create"), form_data())

    risk = Risk.objects.get()
    assert response["Location"] == risk.get_absolute_url()
    assert (risk.reference, risk.score) == ("RO-001", 16)


@pytest.mark.parametrize("persona", ["auditor", "employee"])
def test_others_cannot_register_or_edit(request, client_as, persona):
    risk = RiskFactory()
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("objectives:risk-create")).status_code == 403
    assert client.post(reverse("objectives:risk-create"), form_data()).status_code == 403
    assert client.post(reverse("objectives:risk-update", args=[risk.pk]), form_data()).status_code == 403
    assert Risk.objects.count() == 1


def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(client_as, qa):
    response = client_as(qa).post(reverse("objectives:risk-create"), form_data(title="", likelihood="7"))

    assert response.status_code == 200
    assert {"title", "likelihood"} <= set(response.context["form"].errors)
    assert not Risk.objects.exists()


def test_treating_without_a_treatment_is_refused_on_the_form(client_as, qa):
    response = client_as(qa).post(reverse("objectives:risk-create"), form_data(status="treating"))

    assert response.status_code == 200
    assert "treatment" in response.context["form"].errors
    assert not Risk.objects.exists()


def test_editing_changes_the_score_and_links(client_as, qa):
    risk = RiskFactory(likelihood=2, impact=2)
    objective = ObjectiveFactory()

    response = client_as(qa).post(
        reverse("objectives:risk-update", args=[risk.pk]),
        form_data(owner=risk.owner, likelihood="5", impact="3", objectives=[objective.pk]),
    )

    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.score == 15
    assert list(risk.objectives.all()) == [objective]


def test_editing_a_closed_risk_shows_why_and_changes_nothing(client_as, qa):
    risk = RiskFactory(status="closed", title="Closed one")

    response = client_as(qa).post(
        reverse("objectives:risk-update", args=[risk.pk]), form_data(owner=risk.owner, status="closed")
    )

    assert response.status_code == 200
    assert any("reopen" in m for m in messages_of(response))
    risk.refresh_from_db()
    assert risk.title == "Closed one"


# Detail and review -------------------------------------------------------------------------------


def test_the_detail_shows_links_and_the_history_to_those_allowed(client_as, auditor, qa):
    objective = ObjectiveFactory(title="Scrap rate down")
    risk = RiskFactory()
    risk.objectives.add(objective)

    audited = client_as(auditor).get(risk.get_absolute_url())
    assert "Scrap rate down" in audited.content.decode()
    assert audited.context["history"]

    # QA keeps the register but holds no view_historicalrisk.
    assert "history" not in client_as(qa).get(risk.get_absolute_url()).context


def test_marking_reviewed_records_the_reviewer(client_as, ceo):
    risk = RiskFactory(next_review_date=TODAY - datetime.timedelta(days=2))
    client = client_as(ceo)

    response = client.post(
        reverse("objectives:risk-review", args=[risk.pk]), {"next_review_date": "2026-06-10", "note": "No change."}
    )

    assert response["Location"] == risk.get_absolute_url()
    risk.refresh_from_db()
    assert (risk.last_reviewed_on, risk.last_reviewed_by) == (TODAY, ceo)
    assert "marked reviewed" in messages_of(response)[0]


def test_a_review_date_in_the_past_is_refused_on_the_form(client_as, qa):
    risk = RiskFactory()
    response = client_as(qa).post(reverse("objectives:risk-review", args=[risk.pk]), {"next_review_date": "2026-03-01"})

    assert response.status_code == 200
    assert "next_review_date" in response.context["review_form"].errors
    risk.refresh_from_db()
    assert risk.last_reviewed_on is None


def test_reviewing_a_closed_risk_shows_an_error(client_as, qa):
    risk = RiskFactory(status="closed")
    response = client_as(qa).post(reverse("objectives:risk-review", args=[risk.pk]), {"next_review_date": "2026-06-10"})

    assert response.status_code == 302
    assert any("closed" in m for m in messages_of(response))
    risk.refresh_from_db()
    assert risk.last_reviewed_on is None


@pytest.mark.parametrize("persona", ["auditor", "employee"])
def test_only_register_keepers_mark_reviewed(request, client_as, persona):
    risk = RiskFactory()
    client = client_as(request.getfixturevalue(persona))
    response = client.post(reverse("objectives:risk-review", args=[risk.pk]), {"next_review_date": "2026-06-10"})
    assert response.status_code == 403
    assert client.get(reverse("objectives:risk-review", args=[risk.pk])).status_code in (403, 405)


# Heat map ----------------------------------------------------------------------------------------


def test_the_heat_map_counts_open_entries_per_cell_and_links_to_the_list(client_as, qa):
    RiskFactory.create_batch(2, likelihood=4, impact=5)
    RiskFactory(likelihood=4, impact=5, status="closed")
    RiskFactory(likelihood=1, impact=2)
    RiskFactory(likelihood=4, impact=5, type="opportunity")
    client = client_as(qa)

    response = client.get(reverse("objectives:risk-heat-map"))

    heat = response.context["map"]
    cells = {(c["likelihood"], c["impact"]): c for row in heat["rows"] for c in row["cells"]}
    assert len(cells) == 25
    assert cells[(4, 5)]["count"] == 2
    assert cells[(4, 5)]["score"] == 20
    assert cells[(4, 5)]["band"] == "critical"
    assert cells[(1, 2)]["count"] == 1
    assert heat["total"] == 3
    link = reverse("objectives:risk-list") + "?type=risk&amp;likelihood=4&amp;impact=5&amp;status=active"
    assert link in response.content.decode()
    listed = client.get(
        reverse("objectives:risk-list"), {"type": "risk", "likelihood": 4, "impact": 5, "status": "active"}
    )
    assert len(listed.context["object_list"]) == 2

    opportunities = client.get(reverse("objectives:risk-heat-map"), {"type": "opportunity"}).context["map"]
    assert opportunities["total"] == 1


@pytest.mark.parametrize("rows", [6, 60])
def test_heat_map_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    grow_risks(rows)
    client = client_as(qa)
    # session, user, permissions (user + group), the counts per type and cell, groups for the role badge.
    with django_assert_num_queries(6):
        assert client.get(reverse("objectives:risk-heat-map")).status_code == 200


def test_the_suggested_dashboard_panel_renders_real_figures():
    from django.template.loader import render_to_string

    from objectives.selectors.risks import risk_figures

    RiskFactory(likelihood=4, impact=4)
    RiskFactory(likelihood=1, impact=1, next_review_date=TODAY - datetime.timedelta(days=1))
    RiskFactory(type="opportunity")
    RiskFactory(status="closed", likelihood=5, impact=5)

    figures = risk_figures()
    assert figures == {"open_risks": 2, "high_risks": 1, "open_opportunities": 1, "review_overdue": 1, "high_from": 10}
    html = render_to_string("objectives/risks/partials/_dashboard.html", {"data": figures})
    assert "reviews overdue" in html
