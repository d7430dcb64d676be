"""Resource requests and the quality budget, through the pages."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from leadership.models.commitment import CommitmentEntry
from leadership.models.resources import QualityBudget, ResourceRequest, ResourceSpend
from leadership.services import resources as services
from qms.models import Signature
from tests.conftest import PASSWORD
from tests.leadership.factories_resources import (
    QualityBudgetFactory,
    ResourceRequestFactory,
    ResourceSpendFactory,
    grow_requests,
)

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]


def form_data(**overrides):
    return {
        "title": "CMM for final inspection",
        "category": "equipment",
        "amount": "68500.00",
        "currency": "GBP",
        "needed_by": "2026-06-30",
        "justification": "Dimensional escapes.",
        "serves": "Management review decision 2025-4",
        **overrides,
    }


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize("url_name", ["leadership:resource-request-list", "leadership:quality-budget-current"])
def test_readers_see_the_request_list_and_the_budget(request, client_as, persona, url_name):
    response = client_as(request.getfixturevalue(persona)).get(reverse(url_name), follow=True)

    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["employee", "outsider"])
@pytest.mark.parametrize(
    "url", [reverse("leadership:resource-request-list"), reverse("leadership:quality-budget", args=[2026])]
)
def test_employees_and_outsiders_see_neither(request, client_as, persona, url):
    assert client_as(request.getfixturevalue(persona)).get(url).status_code == 403


def test_detail_is_forbidden_to_employees_and_shows_history_to_the_auditor(client_as, employee, auditor):
    resource_request = ResourceRequestFactory()

    assert client_as(employee).get(resource_request.get_absolute_url()).status_code == 403
    response = client_as(auditor).get(resource_request.get_absolute_url())
    assert response.status_code == 200
    assert "history" in response.context
    assert "approve_form" not in response.context


def test_list_filters_by_status_category_department_and_year(client_as, qa):
    match = ResourceRequestFactory(status="approved", decided_at=timezone.now(), category="training")
    ResourceRequestFactory(status="approved", decided_at=timezone.now(), category="equipment")
    ResourceRequestFactory(category="training")
    ResourceRequestFactory(
        status="approved", decided_at=timezone.now(), category="training", needed_by=datetime.date(2025, 5, 1)
    )

    response = client_as(qa).get(
        reverse("leadership:resource-request-list"),
        {"status": "approved", "category": "training", "year": 2026, "department": match.department_id},
    )

    assert list(response.context["object_list"]) == [match]


# Submitting and editing -------------------------------------------------------------------------


@time_machine.travel(NOON)
def test_a_department_manager_requests_a_resource(client_as, dept_manager):
    response = client_as(dept_manager).post(reverse("leadership:resource-request-create"), form_data())

    resource_request = ResourceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == resource_request.get_absolute_url()
    assert resource_request.reference == "RR-2026-001"
    assert resource_request.requester == dept_manager.person


def test_the_request_form_names_bad_fields_and_saves_nothing(client_as, dept_manager):
    response = client_as(dept_manager).post(
        reverse("leadership:resource-request-create"), form_data(amount="0", currency="pounds", needed_by="")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"amount", "currency", "needed_by"}
    assert not ResourceRequest.objects.exists()


def test_employees_cannot_request_resources(client_as, employee):
    client = client_as(employee)

    assert client.get(reverse("leadership:resource-request-create")).status_code == 403
    assert client.post(reverse("leadership:resource-request-create"), form_data()).status_code == 403
    assert not ResourceRequest.objects.exists()


def test_the_requester_edits_their_own_submitted_request(client_as, dept_manager):
    resource_request = ResourceRequestFactory(requester=dept_manager.person)

    response = client_as(dept_manager).post(
        reverse("leadership:resource-request-update", args=[resource_request.pk]), form_data(amount="70000")
    )

    assert response.status_code == 302
    resource_request.refresh_from_db()
    assert resource_request.amount == Decimal("70000.00")


def test_another_department_manager_cannot_edit_it(client_as, dept_manager):
    resource_request = ResourceRequestFactory()

    response = client_as(dept_manager).post(
        reverse("leadership:resource-request-update", args=[resource_request.pk]), form_data(amount="1")
    )

    assert response.status_code == 403
    resource_request.refresh_from_db()
    assert resource_request.amount == Decimal("1000.00")


def test_a_decided_request_cannot_be_edited_from_the_page(client_as, mgmt_rep):
    resource_request = ResourceRequestFactory(status="approved", decided_at=timezone.now())
    client = client_as(mgmt_rep)

    response = client.post(
        reverse("leadership:resource-request-update", args=[resource_request.pk]), form_data(amount="1")
    )

    assert response.status_code == 302
    assert "only a submitted request can be edited" in messages_of(response)[0]
    resource_request.refresh_from_db()
    assert resource_request.amount == Decimal("1000.00")


def test_the_requester_withdraws_but_nobody_else_can(client_as, dept_manager, mgmt_rep):
    resource_request = ResourceRequestFactory(requester=dept_manager.person)
    url = reverse("leadership:resource-request-withdraw", args=[resource_request.pk])

    client_as(mgmt_rep).post(url)
    resource_request.refresh_from_db()
    assert resource_request.status == "submitted"

    client_as(dept_manager).post(url)
    resource_request.refresh_from_db()
    assert resource_request.status == "withdrawn"


def test_withdraw_by_someone_else_is_forbidden(client_as, mgmt_rep):
    resource_request = ResourceRequestFactory()

    response = client_as(mgmt_rep).post(reverse("leadership:resource-request-withdraw", args=[resource_request.pk]))

    assert response.status_code == 403


# Deciding ---------------------------------------------------------------------------------------


def test_top_management_sees_the_decision_forms(client_as, ceo, mgmt_rep):
    resource_request = ResourceRequestFactory()

    assert "approve_form" in client_as(ceo).get(resource_request.get_absolute_url()).context
    assert "approve_form" not in client_as(mgmt_rep).get(resource_request.get_absolute_url()).context


def test_the_ceo_approves_with_an_e_signature(client_as, ceo):
    resource_request = ResourceRequestFactory()

    response = client_as(ceo).post(
        reverse("leadership:resource-request-approve", args=[resource_request.pk]),
        {"password": PASSWORD, "reason": "Go ahead."},
    )

    assert response.status_code == 302
    resource_request.refresh_from_db()
    assert resource_request.status == "approved"
    assert resource_request.decision_signature.signer == ceo
    assert CommitmentEntry.objects.filter(person=ceo.person).count() == 1
    page = client_as(ceo).get(resource_request.get_absolute_url())
    assert page.context["intact"] is True
    assert "Approved</strong> by" in page.content.decode()


def test_a_wrong_password_is_shown_on_the_form_and_nothing_is_signed(client_as, ceo):
    resource_request = ResourceRequestFactory()

    response = client_as(ceo).post(
        reverse("leadership:resource-request-approve", args=[resource_request.pk]), {"password": "nope"}
    )

    assert response.status_code == 200
    assert "The password is not correct" in response.context["approve_form"].errors["password"][0]
    resource_request.refresh_from_db()
    assert resource_request.status == "submitted"
    assert not Signature.objects.exists()


def test_rejecting_without_a_reason_is_refused_on_the_form(client_as, ceo):
    resource_request = ResourceRequestFactory()

    response = client_as(ceo).post(
        reverse("leadership:resource-request-reject", args=[resource_request.pk]), {"password": PASSWORD, "reason": ""}
    )

    assert response.status_code == 200
    assert "reason" in response.context["reject_form"].errors
    resource_request.refresh_from_db()
    assert resource_request.status == "submitted"
    assert not Signature.objects.exists()


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_only_top_management_may_post_a_decision(request, client_as, persona):
    resource_request = ResourceRequestFactory()

    response = client_as(request.getfixturevalue(persona)).post(
        reverse("leadership:resource-request-approve", args=[resource_request.pk]), {"password": PASSWORD}
    )

    assert response.status_code == 403
    resource_request.refresh_from_db()
    assert resource_request.status == "submitted"


def test_deciding_twice_shows_an_error_and_changes_nothing(client_as, ceo):
    resource_request = ResourceRequestFactory()
    services.resource_request_approve(actor=ceo, request=resource_request, password=PASSWORD)

    response = client_as(ceo).post(
        reverse("leadership:resource-request-reject", args=[resource_request.pk]),
        {"password": PASSWORD, "reason": "Changed my mind"},
    )

    assert response.status_code == 302
    assert "only a submitted request" in messages_of(response)[0]
    resource_request.refresh_from_db()
    assert resource_request.status == "approved"
    assert CommitmentEntry.objects.count() == 1


# Spending ---------------------------------------------------------------------------------------


@time_machine.travel(NOON)
def test_the_representative_records_spending_on_an_approved_request(client_as, mgmt_rep):
    resource_request = ResourceRequestFactory(status="approved", decided_at=timezone.now())

    response = client_as(mgmt_rep).post(
        reverse("leadership:resource-request-spend", args=[resource_request.pk]),
        {"date": "2026-03-01", "amount": "250.00", "note": "Invoice 4471"},
    )

    assert response.status_code == 302
    assert ResourceSpend.objects.get().amount == Decimal("250.00")


@time_machine.travel(NOON)
def test_spending_in_the_future_is_refused_on_the_form(client_as, mgmt_rep):
    resource_request = ResourceRequestFactory(status="approved", decided_at=timezone.now())

    response = client_as(mgmt_rep).post(
        reverse("leadership:resource-request-spend", args=[resource_request.pk]),
        {"date": "2026-04-01", "amount": "250.00"},
    )

    assert response.status_code == 200
    assert "future" in response.context["spend_form"].errors["date"][0]
    assert not ResourceSpend.objects.exists()


def test_spending_on_a_submitted_request_is_refused_with_a_message(client_as, mgmt_rep):
    resource_request = ResourceRequestFactory()

    response = client_as(mgmt_rep).post(
        reverse("leadership:resource-request-spend", args=[resource_request.pk]),
        {"date": "2026-01-01", "amount": "250.00"},
    )

    assert response.status_code == 302
    assert "only on approved requests" in messages_of(response)[0]
    assert not ResourceSpend.objects.exists()


def test_a_department_manager_cannot_record_spending(client_as, dept_manager):
    resource_request = ResourceRequestFactory(status="approved", decided_at=timezone.now())

    response = client_as(dept_manager).post(
        reverse("leadership:resource-request-spend", args=[resource_request.pk]),
        {"date": "2026-01-01", "amount": "250.00"},
    )

    assert response.status_code == 403
    assert not ResourceSpend.objects.exists()


# Budget page ------------------------------------------------------------------------------------


def test_budget_page_shows_the_figures_and_the_rule(client_as, auditor):
    QualityBudgetFactory(planned_amount=Decimal("90000"))
    approved = ResourceRequestFactory(amount=Decimal("68500"), status="approved", decided_at=timezone.now())
    ResourceSpendFactory(request=approved, amount=Decimal("20550"))

    response = client_as(auditor).get(reverse("leadership:quality-budget", args=[2026]))

    row = next(r for r in response.context["summary"]["categories"] if r["category"] == "equipment")
    assert (row["planned"], row["approved"], row["spent"], row["remaining"]) == (
        Decimal("90000.00"),
        Decimal("68500.00"),
        Decimal("20550.00"),
        Decimal("21500.00"),
    )
    content = response.content.decode()
    assert "needed-by date" in content
    assert approved.reference in content
    assert not response.context["may_plan"]


def test_the_year_selector_redirects_to_the_chosen_year(client_as, qa):
    response = client_as(qa).get(reverse("leadership:quality-budget-current"), {"year": "2025"})

    assert response["Location"] == reverse("leadership:quality-budget", args=[2025])


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep"])
def test_top_management_and_the_representative_set_planned_amounts(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))

    response = client.post(
        reverse("leadership:quality-budget-plan", args=[2026]), {"category": "training", "planned_amount": "12000"}
    )

    assert response.status_code == 302
    assert QualityBudget.objects.get(year=2026, category="training").planned_amount == Decimal("12000.00")
    client.post(
        reverse("leadership:quality-budget-plan", args=[2026]), {"category": "training", "planned_amount": "13000"}
    )
    assert QualityBudget.objects.get(year=2026, category="training").planned_amount == Decimal("13000.00")


@pytest.mark.parametrize("persona", ["dept_manager", "qa", "auditor"])
def test_others_cannot_set_planned_amounts(request, client_as, persona):
    response = client_as(request.getfixturevalue(persona)).post(
        reverse("leadership:quality-budget-plan", args=[2026]), {"category": "training", "planned_amount": "1"}
    )

    assert response.status_code == 403
    assert not QualityBudget.objects.exists()


def test_a_negative_planned_amount_is_shown_on_its_row(client_as, mgmt_rep):
    response = client_as(mgmt_rep).post(
        reverse("leadership:quality-budget-plan", args=[2026]),
        {"category": "training", "planned_amount": "-5", "currency": "GBP"},
    )

    assert response.status_code == 200
    row = next(r for r in response.context["summary"]["categories"] if r["category"] == "training")
    assert "planned_amount" in row["plan_form"].errors
    assert response.context["open_category"] == "training"
    assert not QualityBudget.objects.exists()


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [6, 60])
def test_request_list_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    client = client_as(qa)
    grow_requests(rows)
    # session, user, permissions (user + group), count for pagination, groups for the role
    # badge, the department filter's drop-down, the page of requests (requester, department and
    # decider joined; spent as a subquery).
    with django_assert_num_queries(8):
        assert client.get(reverse("leadership:resource-request-list")).status_code == 200


@pytest.mark.parametrize("rows", [6, 60])
def test_budget_page_query_count_does_not_grow(client_as, mgmt_rep, rows, django_assert_num_queries):
    client = client_as(mgmt_rep)
    grow_requests(rows)
    for category in QualityBudget.Category.values:
        QualityBudgetFactory(category=category)
    # session, user, permissions (user + group); budget lines, request totals, spending totals,
    # the requests behind the figures; the year selector (budget years, request years); groups
    # for the role badge.
    with django_assert_num_queries(11):
        assert client.get(reverse("leadership:quality-budget", args=[2026])).status_code == 200


def test_the_suggested_dashboard_panel_renders_real_figures():
    from django.template.loader import render_to_string

    from leadership.selectors.resources import resource_figures

    ResourceRequestFactory(needed_by=timezone.localdate())
    html = render_to_string("leadership/resources/partials/_dashboard.html", {"data": resource_figures()})

    assert "awaiting a decision" in html
    assert resource_figures()["waiting"] == 1
