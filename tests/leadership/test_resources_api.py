"""Resource requests and the quality budget, through the REST API."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from leadership.models.commitment import CommitmentEntry
from leadership.models.resources import QualityBudget, ResourceRequest, ResourceSpend
from qms.models import Signature
from tests.conftest import PASSWORD
from tests.leadership.factories_resources import (
    QualityBudgetFactory,
    ResourceRequestFactory,
    grow_requests,
)

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def payload(**overrides):
    return {
        "title": "CMM for final inspection",
        "category": "equipment",
        "amount": "68500.00",
        "justification": "Dimensional escapes.",
        "needed_by": "2026-06-30",
        **overrides,
    }


def detail(pk, action=None):
    return reverse(f"resourcerequest-{action}" if action else "resourcerequest-detail", args=[pk])


# Reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"])
def test_readers_list_and_retrieve_requests(request, api_as, persona):
    resource_request = ResourceRequestFactory()
    client = api_as(request.getfixturevalue(persona))

    listed = client.get(reverse("resourcerequest-list"))
    one = client.get(detail(resource_request.pk))

    assert listed.status_code == 200
    assert listed.json()["results"][0]["reference"] == resource_request.reference
    assert one.json()["spent"] == "0.00"


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_employees_and_outsiders_read_no_requests(request, api_as, persona):
    client = api_as(request.getfixturevalue(persona))

    assert client.get(reverse("resourcerequest-list")).status_code == 403
    assert client.get(reverse("qualitybudget-list")).status_code == 403
    assert client.get(reverse("qualitybudget-summary")).status_code == 403


def test_the_list_filters_by_status_and_year(api_as, qa):
    approved = ResourceRequestFactory(status="approved", decided_at=timezone.now())
    ResourceRequestFactory()
    ResourceRequestFactory(status="approved", decided_at=timezone.now(), needed_by=datetime.date(2025, 1, 1))

    response = api_as(qa).get(reverse("resourcerequest-list"), {"status": "approved", "year": 2026})

    assert [r["id"] for r in response.json()["results"]] == [approved.pk]


# Submitting and editing -------------------------------------------------------------------------


@time_machine.travel(NOON)
def test_a_department_manager_submits_a_request(api_as, dept_manager):
    response = api_as(dept_manager).post(reverse("resourcerequest-list"), payload(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["reference"] == "RR-2026-001"
    assert body["status"] == "submitted"
    assert body["currency"] == "GBP"
    assert body["requester"] == dept_manager.person.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-1"}, "amount"),
        ({"currency": "gb"}, "currency"),
        ({"category": "snacks"}, "category"),
        ({"needed_by": "next week"}, "needed_by"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_as, dept_manager, overrides, field):
    response = api_as(dept_manager).post(reverse("resourcerequest-list"), payload(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not ResourceRequest.objects.exists()


@pytest.mark.parametrize("persona", ["employee", "auditor", "outsider"])
def test_those_without_the_add_permission_cannot_submit(request, api_as, persona):
    response = api_as(request.getfixturevalue(persona)).post(reverse("resourcerequest-list"), payload(), format="json")

    assert response.status_code == 403
    assert not ResourceRequest.objects.exists()


def test_the_requester_patches_a_submitted_request(api_as, dept_manager):
    resource_request = ResourceRequestFactory(requester=dept_manager.person)

    response = api_as(dept_manager).patch(detail(resource_request.pk), {"amount": "1200.50"}, format="json")

    assert response.status_code == 200
    assert response.json()["amount"] == "1200.50"


def test_a_department_manager_cannot_patch_someone_elses_request(api_as, dept_manager):
    resource_request = ResourceRequestFactory()

    response = api_as(dept_manager).patch(detail(resource_request.pk), {"amount": "1"}, format="json")

    assert response.status_code == 403
    resource_request.refresh_from_db()
    assert resource_request.amount == Decimal("1000.00")


def test_the_auditor_cannot_patch(api_as, auditor):
    resource_request = ResourceRequestFactory()

    assert api_as(auditor).patch(detail(resource_request.pk), {"amount": "1"}, format="json").status_code == 403


def test_a_decided_request_cannot_be_patched(api_as, mgmt_rep):
    resource_request = ResourceRequestFactory(status="approved", decided_at=timezone.now())

    response = api_as(mgmt_rep).patch(detail(resource_request.pk), {"amount": "1"}, format="json")

    assert response.status_code == 409
    assert "only a submitted request" in response.json()["detail"]


def test_deleting_is_not_offered(api_as, mgmt_rep):
    resource_request = ResourceRequestFactory()

    assert api_as(mgmt_rep).delete(detail(resource_request.pk)).status_code == 405
    assert ResourceRequest.objects.filter(pk=resource_request.pk).exists()


# Deciding ---------------------------------------------------------------------------------------


def test_the_ceo_approves_with_a_signature_and_commitment_is_logged_once(api_as, ceo):
    resource_request = ResourceRequestFactory()
    client = api_as(ceo)

    response = client.post(detail(resource_request.pk, "approve"), {"password": PASSWORD}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved"
    assert body["decision_signature"]["meaning"] == "approved"
    assert body["decided_by"] == ceo.pk
    again = client.post(detail(resource_request.pk, "approve"), {"password": PASSWORD}, format="json")
    assert again.status_code == 409
    assert CommitmentEntry.objects.count() == 1


def test_a_wrong_password_is_a_400_on_password(api_as, ceo):
    resource_request = ResourceRequestFactory()

    response = api_as(ceo).post(detail(resource_request.pk, "approve"), {"password": "wrong"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()
    assert not Signature.objects.exists()
    resource_request.refresh_from_db()
    assert resource_request.status == "submitted"


def test_a_missing_password_is_a_400_on_password(api_as, ceo):
    resource_request = ResourceRequestFactory()

    response = api_as(ceo).post(detail(resource_request.pk, "reject"), {"reason": "No"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()


def test_rejecting_needs_a_reason(api_as, ceo):
    resource_request = ResourceRequestFactory()
    client = api_as(ceo)

    refused = client.post(detail(resource_request.pk, "reject"), {"password": PASSWORD}, format="json")
    done = client.post(
        detail(resource_request.pk, "reject"), {"password": PASSWORD, "reason": "Revisit in Q3"}, format="json"
    )

    assert refused.status_code == 400
    assert "reason" in refused.json()
    assert done.status_code == 200
    assert done.json()["decision_reason"] == "Revisit in Q3"


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_only_top_management_decides(request, api_as, persona, action):
    resource_request = ResourceRequestFactory()

    response = api_as(request.getfixturevalue(persona)).post(
        detail(resource_request.pk, action), {"password": PASSWORD, "reason": "x"}, format="json"
    )

    assert response.status_code == 403
    resource_request.refresh_from_db()
    assert resource_request.status == "submitted"


def test_withdraw_is_for_the_requester_while_submitted(api_as, dept_manager, mgmt_rep):
    resource_request = ResourceRequestFactory(requester=dept_manager.person)

    assert api_as(mgmt_rep).post(detail(resource_request.pk, "withdraw")).status_code == 403
    assert api_as(dept_manager).post(detail(resource_request.pk, "withdraw")).json()["status"] == "withdrawn"
    assert api_as(dept_manager).post(detail(resource_request.pk, "withdraw")).status_code == 409


# Spending ---------------------------------------------------------------------------------------


@time_machine.travel(NOON)
def test_the_representative_records_spending(api_as, mgmt_rep):
    resource_request = ResourceRequestFactory(status="approved", decided_at=timezone.now())
    client = api_as(mgmt_rep)

    response = client.post(
        detail(resource_request.pk, "spend"),
        {"date": "2026-03-01", "amount": "20550.00", "note": "Deposit"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["recorded_by"] == mgmt_rep.pk
    assert client.get(detail(resource_request.pk)).json()["spent"] == "20550.00"


def test_spending_rules_on_the_api(api_as, mgmt_rep, qa):
    submitted = ResourceRequestFactory()
    approved = ResourceRequestFactory(status="approved", decided_at=timezone.now())

    wrong_state = api_as(mgmt_rep).post(
        detail(submitted.pk, "spend"), {"date": "2026-01-01", "amount": "1"}, format="json"
    )
    bad_amount = api_as(mgmt_rep).post(
        detail(approved.pk, "spend"), {"date": "2026-01-01", "amount": "0"}, format="json"
    )
    wrong_role = api_as(qa).post(detail(approved.pk, "spend"), {"date": "2026-01-01", "amount": "1"}, format="json")

    assert wrong_state.status_code == 409
    assert (bad_amount.status_code, list(bad_amount.json())) == (400, ["amount"])
    assert wrong_role.status_code == 403
    assert not ResourceSpend.objects.exists()


# Budget -----------------------------------------------------------------------------------------


def test_the_representative_creates_and_changes_a_budget_line(api_as, mgmt_rep):
    client = api_as(mgmt_rep)

    created = client.post(
        reverse("qualitybudget-list"), {"year": 2026, "category": "training", "planned_amount": "10000"}, format="json"
    )
    changed = client.patch(
        reverse("qualitybudget-detail", args=[created.json()["id"]]), {"planned_amount": "12000"}, format="json"
    )

    assert created.status_code == 201
    assert created.json()["currency"] == "GBP"
    assert changed.json()["planned_amount"] == "12000.00"


def test_a_second_line_for_the_same_year_and_category_is_a_400_on_category(api_as, ceo):
    QualityBudgetFactory(category="training")

    response = api_as(ceo).post(
        reverse("qualitybudget-list"), {"year": 2026, "category": "training", "planned_amount": "1"}, format="json"
    )

    assert response.status_code == 400
    assert "category" in response.json()
    assert QualityBudget.objects.count() == 1


def test_a_negative_plan_is_a_400_on_planned_amount(api_as, ceo):
    response = api_as(ceo).post(
        reverse("qualitybudget-list"), {"year": 2026, "category": "people", "planned_amount": "-5"}, format="json"
    )

    assert response.status_code == 400
    assert "planned_amount" in response.json()


@pytest.mark.parametrize("persona", ["dept_manager", "qa", "auditor"])
def test_others_cannot_write_budget_lines(request, api_as, persona):
    budget = QualityBudgetFactory()
    client = api_as(request.getfixturevalue(persona))

    assert client.get(reverse("qualitybudget-list")).status_code == 200
    assert (
        client.post(
            reverse("qualitybudget-list"), {"year": 2026, "category": "people", "planned_amount": "1"}, format="json"
        ).status_code
        == 403
    )
    assert client.patch(reverse("qualitybudget-detail", args=[budget.pk]), {"planned_amount": "1"}).status_code == 403


def test_summary_returns_the_years_figures(api_as, qa):
    QualityBudgetFactory(planned_amount=Decimal("90000"))
    ResourceRequestFactory(amount=Decimal("68500"), status="approved", decided_at=timezone.now())

    response = api_as(qa).get(reverse("qualitybudget-summary"), {"year": 2026})

    assert response.status_code == 200
    body = response.json()
    equipment = next(c for c in body["categories"] if c["category"] == "equipment")
    assert (equipment["planned"], equipment["approved"], equipment["remaining"]) == ("90000.00", "68500.00", "21500.00")
    assert equipment["approved_requests"][0]["amount"] == "68500.00"
    assert "needed-by date" in body["rule"]


@pytest.mark.parametrize("year", ["last", "1999", "-1"])
def test_summary_needs_a_sensible_year(api_as, qa, year):
    response = api_as(qa).get(reverse("qualitybudget-summary"), {"year": year})

    assert response.status_code == 400
    assert "year" in response.json()


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [6, 60])
def test_request_list_endpoint_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    client = api_as(auditor)
    grow_requests(rows)
    # token and user, permissions (user + group), count for pagination, the page of requests
    # (requester, department, decider joined; spent as a subquery).
    with django_assert_num_queries(5):
        assert client.get(reverse("resourcerequest-list")).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_budget_endpoints_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    client = api_as(auditor)
    grow_requests(rows)
    for year in range(2026 - rows // 5, 2026):
        for category in QualityBudget.Category.values:
            QualityBudgetFactory(year=year, category=category)
    # token and user, permissions (user + group), count for pagination, the page of lines.
    with django_assert_num_queries(5):
        assert client.get(reverse("qualitybudget-list")).status_code == 200
    # token and user, permissions (user + group), budget lines, request totals, spending
    # totals, the requests behind the figures.
    with django_assert_num_queries(7):
        assert client.get(reverse("qualitybudget-summary"), {"year": 2026}).status_code == 200
