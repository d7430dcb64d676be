"""The mapping registry: which records evidence which requirement items, and only evidence-grade ones."""

import datetime

import pytest
from django.utils import timezone

from evidence.mapping import KINDS, kind_for_key, kind_for_model, kinds_for_clause, mapped_ids
from evidence.models import Clause
from evidence.selectors.clauses import clauses_for_record, evidence_for_clause
from leadership.models.policy import PolicyVersion
from leadership.models.resources import ResourceRequest
from objectives.models.objectives import Objective
from qms.iso import BY_ID
from reviews.models.actions import Action
from reviews.models.meetings import Decision, Meeting
from tests.evidence.test_clauses_factories import (  # noqa: F401
    approved_request,
    catalogue,
    commitment_entry,
    one_of_each_kind,
    signed_meeting,
    signed_review,
    verified_action,
)
from tests.leadership.factories_policy import PolicyVersionFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.reviews.factories import ActionFactory, AgendaItemFactory, DecisionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def ids_of(record) -> set[str]:
    return {item.clause.pk for item in clauses_for_record(record)}


def listed(clause_id: str) -> set[tuple[str, int]]:
    return {(row.kind, row.object_id) for row in evidence_for_clause(clause_id, limit=500).rows}


def test_every_id_the_mapping_names_is_in_the_catalogue():
    """A typo in a rule would silently evidence nothing; every id must be one of qms/iso.py."""
    assert mapped_ids() <= set(BY_ID)


def test_every_requirement_item_has_at_least_one_kind_of_record():
    """No item of the catalogue is left without a way to be evidenced automatically."""
    assert [item for item in BY_ID if not kinds_for_clause(item)] == []


def test_kinds_are_found_by_key_model_and_record():
    policy = kind_for_key("leadership.policyversion")

    assert policy.model is PolicyVersion
    assert kind_for_model(PolicyVersion) is policy
    assert kind_for_model(PolicyVersion(number=1)) is policy
    assert kind_for_key("leadership.department") is None
    assert len({kind.key for kind in KINDS}) == len(KINDS)


def test_record_and_clause_views_of_the_mapping_agree_for_every_kind():
    """For every kind, the items a record evidences are exactly the items whose pages list it."""
    records = one_of_each_kind()
    assert set(records) == {kind.key for kind in KINDS}
    pages = {clause.pk: listed(clause.pk) for clause in Clause.objects.all()}

    for key, record in records.items():
        from_record = ids_of(record)
        from_pages = {clause_id for clause_id, rows in pages.items() if (key, record.pk) in rows}
        assert from_record, f"{key} evidences nothing"
        assert from_record == from_pages, key


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "leadership.policyversion",
            {"5.1.1.b", "5.1.1.f", "5.2.1.a", "5.2.1.b", "5.2.1.c", "5.2.1.d", "5.2.2.a", "5.2.2.c"},
        ),
        ("leadership.policyacknowledgement", {"5.2.2.b", "5.1.1.f"}),
        ("leadership.position", {"5.3.a", "5.3.d"}),
        ("leadership.managementrepresentativeappointment", {"5.3.a", "5.3.c"}),
        ("leadership.commitmententry", {"5.1.1.e", "5.1.1.h"}),
        ("leadership.resourcerequest", {"5.1.1.e", "5.1.1.h", "6.2.2.b", "9.3.2.d"}),
        ("leadership.customerfeedback", {"5.1.2.c", "9.3.2.c.1"}),
        ("leadership.employeefeedback", {"5.1.1.h"}),
        (
            "objectives.objective",
            {"5.1.1.b", "5.1.1.j", "5.2.1.b", "6.2.1.a", "6.2.1.b", "6.2.1.c", "6.2.1.d", "6.2.1.f", "6.2.2.e"},
        ),
        ("objectives.measurement", {"6.2.1.e", "9.3.2.c.5"}),
        ("objectives.risk", {"5.1.1.d", "5.1.2.b"}),
        ("reviews.meeting", {"5.1.1.c", "5.1.1.g"}),
        ("reviews.decision", {"5.1.1.a", "5.1.1.i", "9.3.3.a"}),
        ("reviews.managementreview", {"9.3.1", "5.1.1.a", "9.3.2.c.1"}),
        ("reviews.action", {"5.1.1.g", "5.1.1.i"}),
        ("reviews.auditfinding", {"9.3.2.c.6", "9.3.2.f"}),
    ],
)
def test_each_kind_evidences_the_items_iso9001_items_names(key, expected):
    assert ids_of(one_of_each_kind()[key]) == expected


@pytest.mark.parametrize("trait", [{}, {"submitted": True}], ids=["draft", "submitted"])
def test_a_policy_version_not_yet_approved_is_not_evidence(trait):
    version = PolicyVersionFactory(**trait)

    assert ids_of(version) == set()
    assert ("leadership.policyversion", version.pk) not in listed("5.2.1.a")


def test_an_approved_but_unpublished_policy_evidences_the_policy_but_not_its_publication():
    version = PolicyVersionFactory(approved=True)

    assert {"5.2.1.a", "5.2.2.a", "5.1.1.b"} <= ids_of(version)
    assert not {"5.2.2.c", "5.1.1.f"} & ids_of(version)


def test_a_confirmation_missing_from_an_approved_policy_withholds_that_item():
    version = PolicyVersionFactory(approved=True, confirms_improvement_commitment=False)

    assert "5.2.1.d" not in ids_of(version)
    assert "5.2.1.c" in ids_of(version)


def test_unsigned_and_cancelled_meetings_evidence_nothing():
    held = signed_meeting(status=Meeting.Status.HELD, signature=None, signed_at=None)
    DecisionFactory(meeting=held)

    assert ids_of(held) == set()
    assert ids_of(held.decisions.get()) == set()


def test_a_signed_meeting_evidences_improvement_only_when_it_took_decisions():
    meeting = signed_meeting()
    assert ids_of(meeting) == {"5.1.1.c"}

    DecisionFactory(meeting=meeting)
    assert ids_of(meeting) == {"5.1.1.c", "5.1.1.i"}


def test_a_signed_management_review_evidences_each_input_that_holds_something():
    review = signed_review(
        inputs={
            "9.3.2.a": {"data": {"open": 2, "closed": 5}},
            "9.3.2.b": {"entries": [{"issue": "New aerospace customer", "effect": "AS9100 expected"}]},
            "9.3.2.c.3": {"note": "Spindle uptime 94%"},
            "9.3.2.c.7": {},
        }
    )

    assert ids_of(review) == {"9.3.1", "5.1.1.a", "9.3.2.a", "9.3.2.b", "9.3.2.c.3"}


def test_a_management_review_not_signed_is_not_evidence():
    review = signed_review(inputs={"9.3.2.a": {"data": {"open": 1}}})
    review.status = "held"
    review.signature = None
    review.signed_at = None
    review.save()

    assert ids_of(review) == set()


def test_review_output_decisions_evidence_9_3_3_by_category():
    meeting = signed_meeting()
    improvement = DecisionFactory(meeting=meeting, output_category=Decision.OutputCategory.IMPROVEMENT)
    change = DecisionFactory(meeting=meeting, output_category=Decision.OutputCategory.QMS_CHANGE)
    resources = DecisionFactory(meeting=meeting, output_category=Decision.OutputCategory.RESOURCE_NEED)

    assert ids_of(improvement) == {"9.3.3.a", "5.1.1.i"}
    assert ids_of(change) == {"9.3.3.b", "5.3.e"}
    assert ids_of(resources) == {"9.3.3.c", "5.1.1.e"}


def test_a_resource_request_counts_once_decided_and_its_items_once_approved():
    submitted = approved_request(status=ResourceRequest.Status.SUBMITTED, decided_at=None)
    rejected = approved_request(status=ResourceRequest.Status.REJECTED)
    approved = approved_request()

    assert ids_of(submitted) == set()
    assert ids_of(rejected) == {"9.3.2.d"}
    assert ids_of(approved) == {"9.3.2.d", "5.1.1.e"}


def test_commitment_entries_evidence_the_items_they_name():
    entry = commitment_entry(["5.1.1.a", "5.1.1.g"])

    assert ids_of(entry) == {"5.1.1.a", "5.1.1.g"}
    # "5.1.1.g" must not match a longer id that merely starts the same way.
    assert ("leadership.commitmententry", entry.pk) not in listed("5.1.1.i")


def test_draft_and_cancelled_objectives_are_not_evidence():
    assert ids_of(ObjectiveFactory(draft=True)) == set()
    assert ids_of(ObjectiveFactory(status=Objective.Status.CANCELLED)) == set()


def test_an_objective_with_no_policy_link_does_not_claim_6_2_1_a():
    objective = ObjectiveFactory(strategic_theme="")

    assert not {"6.2.1.a", "5.2.1.b", "5.1.1.b", "6.2.1.c"} & ids_of(objective)
    assert {"6.2.1.b", "6.2.1.f"} <= ids_of(objective)


def test_objectives_reviewed_in_a_signed_meeting_evidence_5_1_1_g_for_the_meeting():
    meeting = signed_meeting()
    AgendaItemFactory(meeting=meeting).objectives.add(ObjectiveFactory())

    assert "5.1.1.g" in ids_of(meeting)


def test_actions_evidence_improvement_once_verified_and_their_source():
    open_action = ActionFactory()
    verified = verified_action()
    on_objective = ActionFactory(source=Action.Source.OBJECTIVE, decision=None, objective=ObjectiveFactory())

    assert ids_of(open_action) == set()
    assert ids_of(verified) == {"5.1.1.i"}
    assert ids_of(on_objective) == {"5.1.1.g"}


def test_records_of_unmapped_models_evidence_only_their_tags():
    from tests.leadership.factories import DepartmentFactory

    assert clauses_for_record(DepartmentFactory()) == []


def test_evidence_for_an_item_is_newest_first_across_kinds():
    old = commitment_entry(["5.1.1.e"], date=timezone.localdate() - datetime.timedelta(days=40))
    new = approved_request()
    newest = commitment_entry(["5.1.1.e"])

    rows = evidence_for_clause("5.1.1.e").rows

    assert [(r.kind, r.object_id) for r in rows] == [
        ("leadership.commitmententry", newest.pk),
        ("leadership.resourcerequest", new.pk),
        ("leadership.commitmententry", old.pk),
    ]
