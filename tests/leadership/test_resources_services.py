"""Resource requests and the quality budget: the rules, at the service layer."""

import datetime
import hashlib
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leadership.models.commitment import CommitmentEntry
from leadership.models.resources import QualityBudget, ResourceRequest, ResourceSpend
from leadership.selectors import resources as selectors
from leadership.services import resources as services
from qms.exceptions import ApplicationError
from qms.models import Signature
from qms.signatures import signature_matches
from tests.conftest import PASSWORD
from tests.leadership.factories_resources import ResourceRequestFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def submit(actor, **overrides) -> ResourceRequest:
    data = {
        "title": "Coordinate measuring machine",
        "category": ResourceRequest.Category.EQUIPMENT,
        "amount": Decimal("68500.00"),
        "justification": "Dimensional escapes at final inspection.",
        "needed_by": datetime.date(2026, 6, 30),
        **overrides,
    }
    return services.resource_request_create(actor=actor, **data)


# Submitting --------------------------------------------------------------------------------------


@time_machine.travel(NOON)
def test_requests_get_a_yearly_reference_the_requester_and_their_department(dept_manager):
    first = submit(dept_manager)
    second = submit(dept_manager, title="Second")

    assert (first.reference, second.reference) == ("RR-2026-001", "RR-2026-002")
    assert first.requester == dept_manager.person
    assert first.department == dept_manager.person.department
    assert first.status == ResourceRequest.Status.SUBMITTED
    assert first.currency == "GBP"
    assert first.history.get().history_user == dept_manager


def test_reference_numbers_restart_each_year(dept_manager):
    with time_machine.travel(datetime.datetime(2026, 12, 31, 12, tzinfo=datetime.UTC)):
        submit(dept_manager)
    with time_machine.travel(datetime.datetime(2027, 1, 2, 12, tzinfo=datetime.UTC)):
        assert submit(dept_manager).reference == "RR-2027-001"


def test_the_currency_defaults_to_the_organisation_setting(dept_manager, settings):
    settings.CLAUSE5_CURRENCY = "EUR"

    assert submit(dept_manager).currency == "EUR"


def test_training_requests_also_evidence_engaging_people(qa):
    training = submit(qa, category=ResourceRequest.Category.TRAINING, title="Internal auditor course")
    equipment = submit(qa)

    assert training.requirement_ids == ["5.1.1.e", "5.1.1.h"]
    assert equipment.requirement_ids == ["5.1.1.e"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-10")}, "amount"),
        ({"currency": "pounds"}, "currency"),
        ({"category": "snacks"}, "category"),
        ({"title": ""}, "title"),
        ({"justification": ""}, "justification"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(dept_manager, overrides, field):
    with pytest.raises(ValidationError) as caught:
        submit(dept_manager, **overrides)

    assert field in caught.value.message_dict
    assert not ResourceRequest.objects.exists()


def test_an_employee_cannot_request_resources(employee):
    with pytest.raises(PermissionDenied):
        submit(employee)
    assert not ResourceRequest.objects.exists()


def test_submitting_tells_top_management_once(dept_manager, ceo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(dept_manager)

    assert [m.to for m in mail.outbox] == [[ceo.email]]
    assert "RR-" in mail.outbox[0].subject
    # A retried task sends nothing twice.
    assert services.resource_request_notify_deciders(request_id=request.pk) == 0
    assert len(mail.outbox) == 1


# Editing and withdrawing -----------------------------------------------------------------------


def test_the_requester_edits_a_submitted_request(dept_manager):
    request = submit(dept_manager)

    services.resource_request_update(
        actor=dept_manager, request=request, amount=Decimal("70000"), category=ResourceRequest.Category.TRAINING
    )

    request.refresh_from_db()
    assert request.amount == Decimal("70000.00")
    assert request.requirement_ids == ["5.1.1.e", "5.1.1.h"]


def test_someone_else_without_change_permission_cannot_edit(dept_manager, qa, mgmt_rep):
    request = submit(dept_manager)

    with pytest.raises(PermissionDenied):
        services.resource_request_update(actor=qa, request=request, title="Hijacked")
    services.resource_request_update(actor=mgmt_rep, request=request, title="Clarified by the QMR")

    request.refresh_from_db()
    assert request.title == "Clarified by the QMR"


def test_only_the_requester_withdraws_and_only_while_submitted(dept_manager, mgmt_rep):
    request = submit(dept_manager)

    with pytest.raises(PermissionDenied):
        services.resource_request_withdraw(actor=mgmt_rep, request=request)
    services.resource_request_withdraw(actor=dept_manager, request=request)
    with pytest.raises(ApplicationError):
        services.resource_request_withdraw(actor=dept_manager, request=request)

    request.refresh_from_db()
    assert request.status == ResourceRequest.Status.WITHDRAWN


# Deciding ---------------------------------------------------------------------------------------


def test_approval_is_signed_and_logged_as_commitment_once(dept_manager, ceo):
    request = submit(dept_manager)

    services.resource_request_approve(actor=ceo, request=request, password=PASSWORD, reason="Install by June.")

    request.refresh_from_db()
    assert request.status == ResourceRequest.Status.APPROVED
    assert request.decided_by == ceo
    assert request.decided_at is not None
    assert request.decision_reason == "Install by June."
    signature = request.decision_signature
    assert (signature.signer, signature.meaning) == (ceo, "approved")
    assert signature_matches(signature, selectors.resource_request_signed_content(request))
    entry = CommitmentEntry.objects.get()
    assert (entry.person, entry.source, entry.source_record) == (ceo.person, "resource-decided", request)
    assert entry.requirement_ids == ["5.1.1.e"]

    with pytest.raises(ApplicationError):
        services.resource_request_approve(actor=ceo, request=request, password=PASSWORD)
    assert CommitmentEntry.objects.count() == 1
    assert Signature.objects.count() == 1


def test_approving_training_logs_5_1_1_h_as_well(qa, ceo):
    request = submit(qa, category=ResourceRequest.Category.TRAINING)

    services.resource_request_approve(actor=ceo, request=request, password=PASSWORD)

    assert CommitmentEntry.objects.get().requirement_ids == ["5.1.1.e", "5.1.1.h"]


def test_rejection_needs_a_reason_and_then_is_signed_rejected(dept_manager, ceo):
    request = submit(dept_manager)

    with pytest.raises(ValidationError) as caught:
        services.resource_request_reject(actor=ceo, request=request, password=PASSWORD, reason="  ")
    assert "reason" in caught.value.message_dict
    assert not Signature.objects.exists()

    services.resource_request_reject(actor=ceo, request=request, password=PASSWORD, reason="Revisit in Q3.")
    request.refresh_from_db()
    assert request.status == ResourceRequest.Status.REJECTED
    assert request.decision_signature.meaning == "rejected"
    assert CommitmentEntry.objects.get().description.startswith("Rejected resource request")


def test_a_wrong_password_signs_and_changes_nothing(dept_manager, ceo):
    request = submit(dept_manager)

    with pytest.raises(ValidationError) as caught:
        services.resource_request_approve(actor=ceo, request=request, password="not-my-password")

    assert "password" in caught.value.message_dict
    request.refresh_from_db()
    assert request.status == ResourceRequest.Status.SUBMITTED
    assert not Signature.objects.exists()
    assert not CommitmentEntry.objects.exists()


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_only_top_management_decides(request, persona):
    request_ = ResourceRequestFactory()
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.resource_request_approve(actor=actor, request=request_, password=PASSWORD)
    request_.refresh_from_db()
    assert request_.status == ResourceRequest.Status.SUBMITTED


def test_a_top_manager_cannot_decide_their_own_request(ceo):
    request = submit(ceo)

    with pytest.raises(PermissionDenied, match="own request"):
        services.resource_request_approve(actor=ceo, request=request, password=PASSWORD)


def test_a_decided_request_cannot_be_edited(dept_manager, ceo, mgmt_rep):
    request = submit(dept_manager)
    services.resource_request_approve(actor=ceo, request=request, password=PASSWORD)

    for actor in (dept_manager, mgmt_rep):
        with pytest.raises(ApplicationError):
            services.resource_request_update(actor=actor, request=request, amount=Decimal("1"))
    request.refresh_from_db()
    assert request.amount == Decimal("68500.00")
    assert signature_matches(request.decision_signature, selectors.resource_request_signed_content(request))


def test_the_signature_no_longer_matches_a_record_changed_behind_the_app(dept_manager, ceo):
    request = submit(dept_manager)
    services.resource_request_approve(actor=ceo, request=request, password=PASSWORD)

    ResourceRequest.objects.filter(pk=request.pk).update(amount=Decimal("99999"))

    assert selectors.resource_request_signature_intact(selectors.resource_request_get(request.pk)) is False


def test_the_requester_hears_about_the_decision_once(dept_manager, ceo, django_capture_on_commit_callbacks):
    request = submit(dept_manager)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.resource_request_reject(actor=ceo, request=request, password=PASSWORD, reason="Not this year.")

    assert [m.to for m in mail.outbox] == [[dept_manager.email]]
    assert "Not this year." in mail.outbox[0].body
    assert services.resource_request_notify_decision(request_id=request.pk) is False
    assert len(mail.outbox) == 1


# Spending ---------------------------------------------------------------------------------------


@time_machine.travel(NOON)
def test_spending_is_recorded_on_approved_requests_only(mgmt_rep, ceo, dept_manager):
    request = submit(dept_manager)

    with pytest.raises(ApplicationError):
        services.resource_spend_record(actor=mgmt_rep, request=request, date=NOON.date(), amount=Decimal("10"))
    services.resource_request_approve(actor=ceo, request=request, password=PASSWORD)
    spend = services.resource_spend_record(
        actor=mgmt_rep, request=request, date=NOON.date(), amount=Decimal("20550"), note="Deposit"
    )

    assert spend.recorded_by == mgmt_rep
    assert selectors.resource_request_get(request.pk).spent == Decimal("20550.00")


@time_machine.travel(NOON)
@pytest.mark.parametrize(
    ("date", "amount", "field"),
    [
        (datetime.date(2026, 3, 3), Decimal("10"), "date"),
        (datetime.date(2026, 3, 1), Decimal("0"), "amount"),
    ],
)
def test_bad_spending_names_the_field(mgmt_rep, date, amount, field):
    request = ResourceRequestFactory(status=ResourceRequest.Status.APPROVED, decided_at=timezone.now())

    with pytest.raises(ValidationError) as caught:
        services.resource_spend_record(actor=mgmt_rep, request=request, date=date, amount=amount)

    assert field in caught.value.message_dict
    assert not ResourceSpend.objects.exists()


def test_only_the_management_representative_records_spending(dept_manager, ceo):
    request = ResourceRequestFactory(status=ResourceRequest.Status.APPROVED, decided_at=timezone.now())

    for actor in (dept_manager, ceo):
        with pytest.raises(PermissionDenied):
            services.resource_spend_record(actor=actor, request=request, date=datetime.date(2026, 1, 5), amount=1)


# Budget -----------------------------------------------------------------------------------------


def test_one_budget_line_per_year_and_category(mgmt_rep):
    services.quality_budget_create(actor=mgmt_rep, year=2026, category="training", planned_amount=Decimal("10000"))

    with pytest.raises(ValidationError) as caught:
        services.quality_budget_create(actor=mgmt_rep, year=2026, category="training", planned_amount=Decimal("1"))

    assert "already exists" in caught.value.message_dict["category"][0]
    assert QualityBudget.objects.get().planned_amount == Decimal("10000.00")


@pytest.mark.parametrize("persona", ["dept_manager", "qa", "auditor", "employee"])
def test_only_top_management_and_the_representative_plan_the_budget(request, persona):
    with pytest.raises(PermissionDenied):
        services.quality_budget_set(
            actor=request.getfixturevalue(persona), year=2026, category="people", planned_amount=Decimal("1")
        )


def test_budget_set_creates_then_changes_the_line(ceo):
    services.quality_budget_set(actor=ceo, year=2026, category="people", planned_amount=Decimal("40000"))
    services.quality_budget_set(actor=ceo, year=2026, category="people", planned_amount=Decimal("45000"))

    budget = QualityBudget.objects.get()
    assert budget.planned_amount == Decimal("45000.00")
    assert [h.planned_amount for h in budget.history.order_by("history_id")] == [Decimal("40000"), Decimal("45000")]


def test_a_negative_plan_names_the_field(ceo):
    with pytest.raises(ValidationError) as caught:
        services.quality_budget_set(actor=ceo, year=2026, category="people", planned_amount=Decimal("-1"))

    assert "planned_amount" in caught.value.message_dict
    assert not QualityBudget.objects.exists()


def budget_fixture_year():
    """Requests and spending whose 2026 budget figures are worked out by hand in the test below."""
    approved = ResourceRequest.Status.APPROVED
    decided = timezone.now()
    equipment = QualityBudget.Category.EQUIPMENT
    QualityBudget.objects.create(year=2026, category=equipment, planned_amount=Decimal("90000"), currency="GBP")
    QualityBudget.objects.create(year=2026, category="training", planned_amount=Decimal("10000"), currency="GBP")
    QualityBudget.objects.create(year=2026, category="people", planned_amount=Decimal("30000"), currency="EUR")
    cmm = ResourceRequestFactory(amount=Decimal("68500"), status=approved, decided_at=decided)
    calibration = ResourceRequestFactory(amount=Decimal("6200"), status=approved, decided_at=decided)
    ResourceRequestFactory(amount=Decimal("9800"))  # submitted: awaiting decision
    ResourceRequestFactory(amount=Decimal("5000"), status="rejected", decided_at=decided)  # not counted
    ResourceRequestFactory(amount=Decimal("700"), status="withdrawn")  # not counted
    # Needed in 2027: counts in 2027, even though it was decided in 2026.
    ResourceRequestFactory(
        amount=Decimal("12000"), status=approved, decided_at=decided, needed_by=datetime.date(2027, 1, 15)
    )
    ResourceRequestFactory(
        amount=Decimal("1500"), status=approved, decided_at=decided, currency="USD"
    )  # other currency
    ResourceRequestFactory(amount=Decimal("4800"), status=approved, decided_at=decided, category="training")
    ResourceRequestFactory(
        amount=Decimal("20000"), status=approved, decided_at=decided, category="people", currency="EUR"
    )
    for request, amount in [(cmm, "20550"), (cmm, "47950"), (calibration, "3100")]:
        ResourceSpend.objects.create(
            request=request, date=datetime.date(2026, 5, 1), amount=Decimal(amount), recorded_by=request.requester.user
        )


def test_budget_figures_match_a_hand_calculation():
    budget_fixture_year()

    summary = selectors.quality_budget_summary(2026)

    rows = {row["category"]: row for row in summary["categories"]}
    equipment = rows["equipment"]
    # Planned 90,000; approved 68,500 + 6,200 (the USD and the 2027 requests are not counted);
    # awaiting 9,800; spent 20,550 + 47,950 + 3,100; remaining 90,000 - 74,700.
    assert equipment["planned"] == Decimal("90000.00")
    assert equipment["approved"] == Decimal("74700.00")
    assert equipment["approved_count"] == 2
    assert equipment["pending"] == Decimal("9800.00")
    assert equipment["spent"] == Decimal("71600.00")
    assert equipment["remaining"] == Decimal("15300.00")
    assert [r.amount for r in equipment["other_currency_requests"]] == [Decimal("1500.00")]
    assert [r.amount for r in equipment["approved_requests"]] == [Decimal("68500.00"), Decimal("6200.00")]
    assert (rows["training"]["approved"], rows["training"]["remaining"]) == (Decimal("4800.00"), Decimal("5200.00"))
    # The people line is budgeted in euros: its figures are in euros and stay out of the GBP total.
    assert (rows["people"]["currency"], rows["people"]["approved"]) == ("EUR", Decimal("20000.00"))
    assert rows["budget"]["planned"] is None
    assert rows["budget"]["remaining"] is None
    assert summary["total"] == {
        "currency": "GBP",
        "planned": Decimal("100000.00"),
        "approved": Decimal("79500.00"),
        "pending": Decimal("9800.00"),
        "spent": Decimal("71600.00"),
        "remaining": Decimal("20500.00"),
    }
    assert summary["total_leaves_out"] == ["People"]
    assert selectors.quality_budget_summary(2027)["categories"][1]["approved"] == Decimal("12000.00")


def test_signed_content_hash_is_stable_for_the_same_record(dept_manager):
    request = submit(dept_manager)
    text = selectors.resource_request_signed_content(request, decision="approved", reason="")

    again = selectors.resource_request_signed_content(
        ResourceRequest.objects.get(pk=request.pk), decision="approved", reason=""
    )

    assert hashlib.sha256(text.encode()).hexdigest() == hashlib.sha256(again.encode()).hexdigest()
