"""The risk and opportunity register through the API: /api/risks/ and /api/risk-heat-map/."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from objectives.models.risks import Risk
from tests.leadership.factories import PersonFactory
from tests.leadership.factories_customers import CustomerRequirementFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.objectives.factories_risks import RiskFactory, grow_risks

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
WRITERS = ["ceo", "mgmt_rep", "dept_manager", "qa"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def payload(**overrides) -> dict:
    owner = overrides.pop("owner", None) or PersonFactory()
    return {
        "type": "risk",
        "title": "Key machinist retiring",
        "description": "The only five-axis setter retires in September; set-ups would slow and scrap rise.",
        "source": "people",
        "likelihood": 4,
        "impact": 3,
        "owner": owner.pk,
        "next_review_date": "2026-05-31",
        **overrides,
    }


# Reading -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["auditor", "qa", "dept_manager"])
def test_register_readers_list_and_read(request, api_as, persona):
    risk = RiskFactory(likelihood=2, impact=5, next_review_date=TODAY - datetime.timedelta(days=1))
    client = api_as(request.getfixturevalue(persona))

    listed = client.get(reverse("risk-list")).json()
    detail = client.get(reverse("risk-detail", args=[risk.pk])).json()

    assert [r["reference"] for r in listed["results"]] == [risk.reference]
    assert detail["score"] == 10
    assert detail["band"] == "high"
    assert detail["review_overdue"] is True


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_others_cannot_read_the_register(request, api_as, persona):
    risk = RiskFactory()
    client = api_as(request.getfixturevalue(persona))
    assert client.get(reverse("risk-list")).status_code == 403
    assert client.get(reverse("risk-detail", args=[risk.pk])).status_code == 403
    assert client.get(reverse("api-risk-heat-map")).status_code == 403


def test_the_list_filters_like_the_page(api_as, auditor):
    RiskFactory(title="Titanium", likelihood=5, impact=5)
    RiskFactory(title="Automation", type="opportunity", likelihood=2, impact=2)
    client = api_as(auditor)

    def titles(**params):
        return {r["title"] for r in client.get(reverse("risk-list"), params).json()["results"]}

    assert titles(type="opportunity") == {"Automation"}
    assert titles(band="critical") == {"Titanium"}
    assert titles(likelihood=5, impact=5) == {"Titanium"}


# Writing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", WRITERS)
def test_register_keepers_create_with_a_computed_score(request, api_as, persona):
    objective = ObjectiveFactory()
    requirement = CustomerRequirementFactory()
    client = api_as(request.getfixturevalue(persona))

    response = client.post(
        reverse("risk-list"),
        payload(score=1, objectives=[objective.pk], customer_requirements=[requirement.pk]),
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["reference"], body["score"], body["band"]) == ("RO-001", 12, "high")
    assert body["objectives"] == [objective.pk]
    assert body["customer_requirements"] == [requirement.pk]


@pytest.mark.parametrize(("field", "value"), [("likelihood", 6), ("impact", 0), ("type", "threat"), ("title", "")])
def test_bad_input_is_400_naming_the_field_and_saves_nothing(api_as, qa, field, value):
    response = api_as(qa).post(reverse("risk-list"), payload(**{field: value}), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Risk.objects.exists()


def test_a_rule_of_the_service_is_400_naming_the_field(api_as, qa):
    response = api_as(qa).post(reverse("risk-list"), payload(status="treating"), format="json")
    assert response.status_code == 400
    assert "treatment" in response.json()


@pytest.mark.parametrize("persona", ["auditor", "employee"])
def test_others_cannot_write(request, api_as, persona):
    risk = RiskFactory()
    client = api_as(request.getfixturevalue(persona))
    assert client.post(reverse("risk-list"), payload(), format="json").status_code == 403
    assert client.patch(reverse("risk-detail", args=[risk.pk]), {"likelihood": 1}, format="json").status_code == 403
    assert Risk.objects.count() == 1


def test_changing_likelihood_recomputes_the_score(api_as, qa):
    risk = RiskFactory(likelihood=3, impact=4)

    response = api_as(qa).patch(reverse("risk-detail", args=[risk.pk]), {"likelihood": 5}, format="json")

    assert response.status_code == 200
    assert response.json()["score"] == 20
    risk.refresh_from_db()
    assert risk.score == 20


def test_changing_a_closed_risk_is_409(api_as, qa):
    risk = RiskFactory(status="closed")
    response = api_as(qa).patch(reverse("risk-detail", args=[risk.pk]), {"title": "New"}, format="json")
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_risks_are_never_deleted(api_as, ceo):
    risk = RiskFactory()
    assert api_as(ceo).delete(reverse("risk-detail", args=[risk.pk])).status_code == 405
    assert Risk.objects.filter(pk=risk.pk).exists()


# Review ------------------------------------------------------------------------------------------


def test_review_records_who_and_when(api_as, mgmt_rep):
    risk = RiskFactory()
    response = api_as(mgmt_rep).post(
        reverse("risk-review", args=[risk.pk]), {"next_review_date": "2026-06-30", "note": "Still valid."}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["last_reviewed_on"], body["last_reviewed_by"]) == ("2026-03-10", mgmt_rep.pk)
    assert body["next_review_date"] == "2026-06-30"


def test_review_of_a_closed_risk_is_409(api_as, qa):
    risk = RiskFactory(status="closed")
    response = api_as(qa).post(reverse("risk-review", args=[risk.pk]), {"next_review_date": "2026-06-30"})
    assert response.status_code == 409


def test_review_with_a_past_date_is_400(api_as, qa):
    risk = RiskFactory()
    response = api_as(qa).post(reverse("risk-review", args=[risk.pk]), {"next_review_date": "2026-03-10"})
    assert response.status_code == 400
    assert "next_review_date" in response.json()


@pytest.mark.parametrize("persona", ["auditor", "employee"])
def test_review_needs_the_change_permission(request, api_as, persona):
    risk = RiskFactory()
    client = api_as(request.getfixturevalue(persona))
    response = client.post(reverse("risk-review", args=[risk.pk]), {"next_review_date": "2026-06-30"})
    assert response.status_code == 403
    risk.refresh_from_db()
    assert risk.last_reviewed_on is None


# Heat map ----------------------------------------------------------------------------------------


def test_the_heat_map_counts_open_entries_per_cell(api_as, auditor):
    RiskFactory.create_batch(3, likelihood=2, impact=3)
    RiskFactory(likelihood=2, impact=3, status="closed")
    RiskFactory(type="opportunity", likelihood=5, impact=4)

    body = api_as(auditor).get(reverse("api-risk-heat-map")).json()

    risks = {(c["likelihood"], c["impact"]): c for c in body["risk"]["cells"]}
    assert len(risks) == 25
    assert risks[(2, 3)] == {"likelihood": 2, "impact": 3, "score": 6, "band": "medium", "count": 3}
    assert body["risk"]["total"] == 3
    assert body["opportunity"]["total"] == 1
    assert body["risk"]["cells"][0]["likelihood"] == 5


# Query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [6, 60])
def test_list_endpoint_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    grow_risks(rows)
    client = api_as(auditor)
    # token and user, permissions (user + group), count for pagination, the page of risks (owner,
    # user, department, last reviewer joined), their objectives' and requirements' ids.
    with django_assert_num_queries(7):
        assert client.get(reverse("risk-list")).status_code == 200


@pytest.mark.parametrize("rows", [6, 60])
def test_heat_map_endpoint_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    grow_risks(rows)
    client = api_as(auditor)
    # token and user, permissions (user + group), the counts per type and cell.
    with django_assert_num_queries(4):
        assert client.get(reverse("api-risk-heat-map")).status_code == 200
