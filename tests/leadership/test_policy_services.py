"""Rules of the quality policy, checked at the services: lifecycle, signatures, acknowledgement, coverage."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from leadership.models.commitment import CommitmentEntry
from leadership.models.policy import PolicyAcknowledgement, PolicyShareLink, PolicyVersion
from leadership.roles import Role
from leadership.selectors import policy as selectors
from leadership.services import policy as services
from qms.exceptions import ApplicationError
from qms.models import Signature
from qms.signatures import signature_matches
from tests.conftest import PASSWORD
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_policy import (
    PolicyAcknowledgementFactory,
    PolicyVersionFactory,
    approved_version,
    draft_fields,
    published_version,
)

pytestmark = pytest.mark.django_db

Status = PolicyVersion.Status


# The lifecycle ----------------------------------------------------------------------------------


def test_a_version_goes_from_draft_to_superseded(ceo, mgmt_rep):
    first = services.policy_version_create(actor=mgmt_rep, **draft_fields())
    assert (first.number, first.status, first.author) == (1, Status.DRAFT, mgmt_rep)

    first = services.policy_version_submit(actor=mgmt_rep, version=first, password=PASSWORD)
    assert first.status == Status.SUBMITTED
    assert first.author_signature.meaning == "authored"

    first = services.policy_version_approve(actor=ceo, version=first, password=PASSWORD)
    assert first.status == Status.APPROVED
    assert first.approval_signature.signer == ceo

    first = services.policy_version_publish(actor=mgmt_rep, version=first)
    assert first.status == Status.PUBLISHED
    assert first.published_at is not None

    second = services.policy_version_new_from(actor=mgmt_rep, source=first)
    assert (second.number, second.status, second.based_on) == (2, Status.DRAFT, first)
    services.policy_version_update(
        actor=mgmt_rep, version=second, **draft_fields(text="New text.", change_summary="Adds supplier performance.")
    )
    second = services.policy_version_submit(actor=mgmt_rep, version=second, password=PASSWORD)
    second = services.policy_version_approve(actor=ceo, version=second, password=PASSWORD)
    second = services.policy_version_publish(actor=ceo, version=second)

    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert first.superseded_by == second
    assert first.superseded_at == second.published_at
    assert second.status == Status.PUBLISHED
    assert selectors.policy_version_published() == second


def test_history_records_who_did_each_step(ceo, mgmt_rep):
    version = approved_version(author=mgmt_rep, approver=ceo)

    users = [(h.status, h.history_user) for h in version.history.order_by("history_date", "history_id")]

    assert users == [(Status.DRAFT, mgmt_rep), (Status.SUBMITTED, mgmt_rep), (Status.APPROVED, ceo)]


def test_version_numbers_increase_by_one(ceo, mgmt_rep):
    published_version(author=mgmt_rep, approver=ceo)
    published_version(author=mgmt_rep, approver=ceo)
    third = services.policy_version_create(actor=mgmt_rep, **draft_fields())

    assert list(PolicyVersion.objects.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    assert third.number == 3


def test_only_one_version_is_in_progress_at_a_time(mgmt_rep):
    first = services.policy_version_create(actor=mgmt_rep, **draft_fields())

    with pytest.raises(ApplicationError) as exc:
        services.policy_version_create(actor=mgmt_rep, **draft_fields())

    assert "Version 1 is already in progress" in exc.value.message
    assert exc.value.extra == {"version": first.pk}
    assert PolicyVersion.objects.count() == 1


# Who may do what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "qa", "auditor", "employee", "outsider"])
def test_only_the_management_representative_drafts(request, persona):
    with pytest.raises(PermissionDenied):
        services.policy_version_create(actor=request.getfixturevalue(persona), **draft_fields())
    assert not PolicyVersion.objects.exists()


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_only_top_management_approves(request, mgmt_rep, persona):
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())
    version = services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD)

    with pytest.raises(PermissionDenied, match="top management only"):
        services.policy_version_approve(actor=request.getfixturevalue(persona), version=version, password=PASSWORD)

    version.refresh_from_db()
    assert version.status == Status.SUBMITTED
    assert version.approval_signature is None


@pytest.mark.parametrize(("persona", "allowed"), [("ceo", True), ("mgmt_rep", True), ("qa", False), ("auditor", False)])
def test_top_management_and_the_management_representative_publish(request, ceo, mgmt_rep, persona, allowed):
    version = approved_version(author=mgmt_rep, approver=ceo)
    actor = request.getfixturevalue(persona)

    if allowed:
        assert services.policy_version_publish(actor=actor, version=version).status == Status.PUBLISHED
    else:
        with pytest.raises(PermissionDenied):
            services.policy_version_publish(actor=actor, version=version)
        version.refresh_from_db()
        assert version.status == Status.APPROVED


# Submission: the four 5.2.1 elements --------------------------------------------------------------


def test_submission_names_every_missing_5_2_1_confirmation(mgmt_rep):
    version = services.policy_version_create(
        actor=mgmt_rep,
        **draft_fields(confirms_objectives_framework=False, confirms_improvement_commitment=False),
    )

    with pytest.raises(ValidationError) as exc:
        services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD)

    errors = exc.value.message_dict
    assert set(errors) == {"confirms_objectives_framework", "confirms_improvement_commitment"}
    assert "(5.2.1.b)" in errors["confirms_objectives_framework"][0]
    assert "(5.2.1.d)" in errors["confirms_improvement_commitment"][0]
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    assert not Signature.objects.exists()


def test_submission_with_every_confirmation_is_accepted(mgmt_rep):
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())

    assert services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD).status == "submitted"


def test_submission_needs_the_strategy_and_for_later_versions_a_summary_of_changes(ceo, mgmt_rep):
    published_version(author=mgmt_rep, approver=ceo)
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields(strategy_context="", change_summary=""))

    with pytest.raises(ValidationError) as exc:
        services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD)

    assert set(exc.value.message_dict) == {"strategy_context", "change_summary"}


def test_submission_with_a_wrong_password_signs_and_changes_nothing(mgmt_rep):
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())

    with pytest.raises(ValidationError) as exc:
        services.policy_version_submit(actor=mgmt_rep, version=version, password="wrong")

    assert "password" in exc.value.message_dict
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    assert not Signature.objects.exists()


# Approval: the e-signature and the commitment log ------------------------------------------------


def test_approval_signature_covers_number_title_text_and_confirmations(ceo, mgmt_rep):
    version = approved_version(author=mgmt_rep, approver=ceo)
    signature = version.approval_signature

    assert (signature.signer, signature.meaning) == (ceo, "approved")
    assert signature.signer_name == ceo.get_full_name()
    assert signature.statement == "I approve version 1 of the quality policy."
    assert signature_matches(signature, version.signed_content())
    for field in ("number", "title", "text", "confirms_requirements_commitment"):
        assert f'"{field}"' in version.signed_content()
    # A change made behind the services' back no longer matches the signature.
    PolicyVersion.objects.filter(pk=version.pk).update(text="Something else")
    version.refresh_from_db()
    assert not signature_matches(signature, version.signed_content())


def test_approval_logs_the_approvers_commitment_once(ceo, mgmt_rep):
    version = approved_version(author=mgmt_rep, approver=ceo)

    entry = CommitmentEntry.objects.get()
    assert entry.person == ceo.person
    assert entry.source == CommitmentEntry.Source.POLICY_APPROVED
    assert entry.source_record == version
    assert entry.requirement_ids == ["5.1.1.b", "5.1.1.f"]


def test_approval_with_a_wrong_password_approves_nothing(ceo, mgmt_rep):
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())
    version = services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD)

    with pytest.raises(ValidationError):
        services.policy_version_approve(actor=ceo, version=version, password="guess")

    version.refresh_from_db()
    assert version.status == Status.SUBMITTED
    assert not CommitmentEntry.objects.exists()


def test_a_draft_cannot_be_approved(ceo, mgmt_rep):
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())

    with pytest.raises(ApplicationError, match="only a version submitted for approval can be approved"):
        services.policy_version_approve(actor=ceo, version=version, password=PASSWORD)


# Rejection ------------------------------------------------------------------------------------------


def test_top_management_rejects_back_to_draft_with_a_reason(ceo, mgmt_rep):
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())
    version = services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD)

    version = services.policy_version_reject(actor=ceo, version=version, reason="Name the medical market.")

    assert version.status == Status.DRAFT
    assert (version.rejected_by, version.rejection_reason) == (ceo, "Name the medical market.")
    assert version.author_signature is None
    assert version.history.filter(rejection_reason="Name the medical market.", history_user=ceo).exists()
    # The author can change it and submit it again.
    services.policy_version_update(actor=mgmt_rep, version=version, text="Now names the medical market.")
    assert services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD).status == "submitted"


def test_rejection_needs_a_reason(ceo, mgmt_rep):
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())
    version = services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD)

    with pytest.raises(ValidationError) as exc:
        services.policy_version_reject(actor=ceo, version=version, reason="  ")

    assert "reason" in exc.value.message_dict
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED


def test_the_management_representative_cannot_reject(ceo, mgmt_rep):
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())
    version = services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD)

    with pytest.raises(PermissionDenied):
        services.policy_version_reject(actor=mgmt_rep, version=version, reason="No")


def test_an_approved_version_cannot_be_rejected(ceo, mgmt_rep):
    version = approved_version(author=mgmt_rep, approver=ceo)

    with pytest.raises(ApplicationError):
        services.policy_version_reject(actor=ceo, version=version, reason="Too late")


# Immutability --------------------------------------------------------------------------------------


def test_a_draft_can_be_edited(mgmt_rep):
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())

    version = services.policy_version_update(actor=mgmt_rep, version=version, title="Our quality policy")

    assert version.title == "Our quality policy"


@pytest.mark.parametrize("state", ["approved", "published", "superseded"])
def test_approved_published_and_superseded_versions_cannot_be_edited(mgmt_rep, state):
    version = PolicyVersionFactory(**{state: True})

    with pytest.raises(ApplicationError, match="Make a new version from it instead"):
        services.policy_version_update(actor=mgmt_rep, version=version, text="Changed")

    version.refresh_from_db()
    assert version.text != "Changed"


def test_a_submitted_version_cannot_be_edited_until_rejected(mgmt_rep):
    version = PolicyVersionFactory(submitted=True)

    with pytest.raises(ApplicationError, match="reject it back to draft"):
        services.policy_version_update(actor=mgmt_rep, version=version, text="Changed")


def test_new_version_copies_the_text_and_asks_for_the_confirmations_again(ceo, mgmt_rep):
    source = published_version(author=mgmt_rep, approver=ceo, text="Original text.")

    draft = services.policy_version_new_from(actor=mgmt_rep, source=source)

    assert (draft.text, draft.strategy_context, draft.based_on) == ("Original text.", source.strategy_context, source)
    assert draft.missing_confirmations() == [
        "confirms_purpose_and_strategy",
        "confirms_objectives_framework",
        "confirms_requirements_commitment",
        "confirms_improvement_commitment",
    ]
    source.refresh_from_db()
    assert source.status == Status.PUBLISHED


# Publication: one version in force --------------------------------------------------------------


def test_the_database_allows_one_published_version_only(ceo, mgmt_rep):
    PolicyVersionFactory(published=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.filter(pk=PolicyVersionFactory(approved=True).pk).update(status=Status.PUBLISHED)


def test_publishing_supersedes_the_version_in_force_in_the_same_transaction(ceo, mgmt_rep, monkeypatch):
    first = published_version(author=mgmt_rep, approver=ceo)
    second = approved_version(author=mgmt_rep, approver=ceo)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    # A failure after the old version was superseded must leave it in force.
    monkeypatch.setattr("leadership.services.policy.transaction.on_commit", broken)
    with pytest.raises(RuntimeError):
        services.policy_version_publish(actor=mgmt_rep, version=second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.PUBLISHED, Status.APPROVED)


def test_an_older_approved_version_cannot_replace_a_newer_published_one(ceo, mgmt_rep):
    older = PolicyVersionFactory(approved=True, number=1)
    PolicyVersionFactory(published=True, number=2)

    with pytest.raises(ApplicationError, match="newer than version 1"):
        services.policy_version_publish(actor=mgmt_rep, version=older)


def test_only_an_approved_version_can_be_published(mgmt_rep):
    version = PolicyVersionFactory(submitted=True)

    with pytest.raises(ApplicationError, match="only an approved version can be published"):
        services.policy_version_publish(actor=mgmt_rep, version=version)


def test_publish_preview_counts_the_acknowledgements_it_resets(ceo, mgmt_rep, employee):
    current = published_version(author=mgmt_rep, approver=ceo)
    PolicyAcknowledgementFactory(version=current, person=employee.person)
    PolicyAcknowledgementFactory(version=current)
    gone = PolicyAcknowledgementFactory(version=current)
    gone.person.user.is_active = False
    gone.person.user.save()
    nxt = approved_version(author=mgmt_rep, approver=ceo)

    preview = services.policy_version_publish_preview(version=nxt)

    assert preview["current"] == current
    # The two active people; the inactive account is not asked again.
    assert preview["acknowledgements_reset"] == 2


# Acknowledgement -------------------------------------------------------------------------------------


def test_a_person_acknowledges_the_published_version_once(ceo, mgmt_rep, employee):
    version = published_version(author=mgmt_rep, approver=ceo)

    acknowledgement = services.policy_acknowledgement_record(actor=employee, version=version)
    with pytest.raises(ApplicationError, match="recorded once"):
        services.policy_acknowledgement_record(actor=employee, version=version)

    assert (acknowledgement.person, acknowledgement.version) == (employee.person, version)
    assert PolicyAcknowledgement.objects.count() == 1


def test_the_database_refuses_a_second_acknowledgement(ceo, mgmt_rep, employee):
    acknowledgement = PolicyAcknowledgementFactory(person=employee.person)

    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyAcknowledgement.objects.create(
            person=employee.person, version=acknowledgement.version, acknowledged_at=acknowledgement.acknowledged_at
        )


def test_a_new_version_must_be_acknowledged_again(ceo, mgmt_rep, employee):
    first = published_version(author=mgmt_rep, approver=ceo)
    services.policy_acknowledgement_record(actor=employee, version=first)
    second = published_version(author=mgmt_rep, approver=ceo)

    assert selectors.acknowledgement_of(user=employee, version=second) is None
    assert services.policy_acknowledgement_record(actor=employee, version=second).version == second


def test_acknowledging_a_version_that_is_no_longer_in_force_is_refused(ceo, mgmt_rep, employee):
    first = published_version(author=mgmt_rep, approver=ceo)
    published_version(author=mgmt_rep, approver=ceo)

    with pytest.raises(ApplicationError, match="Read version 2"):
        services.policy_acknowledgement_record(actor=employee, version=first)
    assert not PolicyAcknowledgement.objects.exists()


def test_nothing_to_acknowledge_before_a_version_is_published(employee):
    with pytest.raises(ApplicationError, match="No quality policy is published yet"):
        services.policy_acknowledgement_record(actor=employee)


def test_an_account_without_a_person_cannot_acknowledge(ceo, mgmt_rep, django_user_model):
    published_version(author=mgmt_rep, approver=ceo)
    robot = django_user_model.objects.create_user("robot", password=PASSWORD)

    with pytest.raises(ApplicationError) as exc:
        services.policy_acknowledgement_record(actor=robot)
    assert exc.value.status_code == 403


# Coverage ------------------------------------------------------------------------------------------


def test_coverage_per_department_and_overall_counts_active_staff_only():
    """Hand-checked: Machining 3 of 4 (75%), Sales 1 of 2 (50%), no department 1 of 1: 5 of 7, 71%."""
    version = PolicyVersionFactory(published=True)
    older = PolicyVersionFactory(superseded=True, number=version.number - 1 if version.number > 1 else 999)
    machining, sales = DepartmentFactory(name="Machining"), DepartmentFactory(name="Sales")
    m = [PersonFactory(department=machining, roles=[Role.EMPLOYEE]) for _ in range(4)]
    s = [PersonFactory(department=sales, roles=[Role.EMPLOYEE]) for _ in range(2)]
    loner = PersonFactory(department=None, roles=[Role.QA_STAFF])
    for person in [*m[:3], s[0], loner]:
        PolicyAcknowledgementFactory(version=version, person=person)
    # Not counted: an older version's acknowledgement, an inactive account, an external auditor.
    PolicyAcknowledgementFactory(version=older, person=s[1])
    left = PersonFactory(department=machining, roles=[Role.EMPLOYEE])
    left.user.is_active = False
    left.user.save()
    PolicyAcknowledgementFactory(version=version, person=left)
    PersonFactory(department=None, roles=[Role.AUDITOR])

    coverage = selectors.policy_coverage(version)

    assert (coverage.acknowledged, coverage.total, coverage.percent) == (5, 7, 71)
    assert coverage.as_text() == "5 of 7, 71%"
    rows = [
        (r["department"].name if r["department"] else None, r["acknowledged"], r["total"], r["percent"])
        for r in coverage.departments
    ]
    assert rows == [("Machining", 3, 4, 75), ("Sales", 1, 2, 50), (None, 1, 1, 100)]
    assert [p.pk for p in coverage.pending] == [m[3].pk, s[1].pk]
    assert next(p for p in coverage.pending if p.pk == s[1].pk).last_acknowledged_number == older.number
    assert selectors.policy_coverage_figures(version) == {"acknowledged": 5, "total": 7, "percent": 71}


def test_coverage_is_100_only_when_everyone_acknowledged():
    version = PolicyVersionFactory(published=True)
    people = PersonFactory.create_batch(200, roles=[Role.EMPLOYEE])
    for person in people[:199]:
        PolicyAcknowledgementFactory(version=version, person=person)

    assert selectors.policy_coverage_figures(version)["percent"] == 99


# Share links ------------------------------------------------------------------------------------------


def test_share_links_point_at_the_published_version_and_can_be_revoked(ceo, mgmt_rep):
    version = published_version(author=mgmt_rep, approver=ceo)

    link = services.policy_share_link_create(actor=mgmt_rep, label="Company website")
    assert link.version == version
    assert len(link.token) >= 40
    assert selectors.share_link_for_token(link.token) == link

    services.policy_share_link_revoke(actor=mgmt_rep, link=link)
    link.refresh_from_db()
    assert link.revoked_by == mgmt_rep
    assert selectors.share_link_for_token(link.token) is None
    with pytest.raises(ApplicationError, match="already revoked"):
        services.policy_share_link_revoke(actor=mgmt_rep, link=link)


def test_sharing_needs_the_share_permission_and_a_published_version(ceo, mgmt_rep):
    with pytest.raises(ApplicationError, match="No quality policy is published yet"):
        services.policy_share_link_create(actor=mgmt_rep, label="Website")
    published_version(author=mgmt_rep, approver=ceo)

    with pytest.raises(PermissionDenied):
        services.policy_share_link_create(actor=ceo, label="Website")
    assert not PolicyShareLink.objects.exists()


def test_a_share_link_needs_a_label(ceo, mgmt_rep):
    published_version(author=mgmt_rep, approver=ceo)

    with pytest.raises(ValidationError) as exc:
        services.policy_share_link_create(actor=mgmt_rep, label=" ")

    assert "label" in exc.value.message_dict


def test_a_link_stops_working_when_a_newer_version_is_published(ceo, mgmt_rep):
    published_version(author=mgmt_rep, approver=ceo)
    link = services.policy_share_link_create(actor=mgmt_rep, label="Company website")
    nxt = approved_version(author=mgmt_rep, approver=ceo)

    assert services.policy_version_publish_preview(version=nxt)["share_links_stopped"] == 1
    services.policy_version_publish(actor=mgmt_rep, version=nxt)

    assert selectors.share_link_for_token(link.token) is None


# Compare ----------------------------------------------------------------------------------------------


def test_compare_shows_inserted_and_deleted_words():
    older = PolicyVersionFactory(superseded=True, text="We meet customer requirements.\n\nWe improve.")
    newer = PolicyVersionFactory(published=True, text="We meet customer and legal requirements.\n\nWe improve.")

    result = selectors.policy_version_compare(older, newer)

    text = next(r for r in result["fields"] if r["label"] == "Policy text")
    assert [(p.op, p.text) for p in text["parts"] if p.op != "equal"] == [("insert", "and legal ")]
    assert "".join(p.text for p in text["parts"] if p.op != "delete") == newer.text
    assert "".join(p.text for p in text["parts"] if p.op != "insert") == older.text
    assert (text["inserted"], text["deleted"]) == (2, 0)
    assert not next(r for r in result["fields"] if r["label"] == "Title")["changed"]


def test_compare_reads_a_rewritten_phrase_as_one_deletion_and_one_insertion():
    parts = selectors.text_diff(
        "Our customers rely on us for parts that fit.", "We are the most dependable supplier of parts that fit."
    )

    assert [(p.op, p.text) for p in parts] == [
        ("delete", "Our customers rely on us for"),
        ("insert", "We are the most dependable supplier of"),
        ("equal", " parts that fit."),
    ]


def test_compare_keeps_paragraphs_apart():
    parts = selectors.text_diff("Alpha one.\n\nBeta two.", "Gamma one.\n\nDelta two.")

    assert [(p.op, p.text) for p in parts] == [
        ("delete", "Alpha"),
        ("insert", "Gamma"),
        ("equal", " one.\n\n"),
        ("delete", "Beta"),
        ("insert", "Delta"),
        ("equal", " two."),
    ]


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_publication_time_is_recorded(ceo, mgmt_rep):
    version = published_version(author=mgmt_rep, approver=ceo)

    assert version.published_at == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
