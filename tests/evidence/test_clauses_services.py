"""Tagging records by hand as evidence of a requirement item, and removing tags, through the services."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from evidence.models import Clause, EvidenceTag
from evidence.selectors.clauses import clauses_for_record, evidence_counts, evidence_for_clause
from evidence.services.clauses import evidence_record_get, evidence_tag_create, evidence_tag_remove
from qms.exceptions import ApplicationError
from tests.evidence.test_clauses_factories import (  # noqa: F401
    answered_employee_feedback,
    catalogue,
    signed_meeting,
)
from tests.leadership.factories import DepartmentFactory, UserFactory
from tests.leadership.factories_policy import PolicyVersionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

NOTE = "The operational meeting decided to add a second final inspection: a change to the QMS."


def item(pk: str) -> Clause:
    return Clause.objects.get(pk=pk)


def tag_meeting(actor, clause_id="5.3.e", **kwargs):
    meeting = kwargs.pop("meeting", None) or signed_meeting()
    return meeting, evidence_tag_create(actor=actor, clause=item(clause_id), record=meeting, note=NOTE, **kwargs)


def test_qa_tags_a_signed_meeting_as_evidence_of_an_item_the_mapping_does_not_link(qa):
    meeting, tag = tag_meeting(qa)

    assert tag.is_active
    assert (tag.clause_id, tag.object_id, tag.note) == ("5.3.e", str(meeting.pk), NOTE)
    assert tag.tagged_by == qa
    assert tag.history.get().history_user == qa
    rows = evidence_for_clause("5.3.e").rows
    assert [(r.kind, r.object_id, r.mapped, r.tag) for r in rows] == [("reviews.meeting", meeting.pk, False, tag)]
    assert evidence_counts()["5.3.e"] == 1
    assert {(c.clause.pk, c.mapped, c.tag) for c in clauses_for_record(meeting)} == {
        ("5.1.1.c", True, None),
        ("5.3.e", False, tag),
    }


def test_a_record_that_is_not_evidence_cannot_be_tagged(qa):
    draft = PolicyVersionFactory()

    with pytest.raises(ApplicationError, match="does not count as evidence"):
        evidence_tag_create(actor=qa, clause=item("5.1.1.i"), record=draft, note=NOTE)

    assert not EvidenceTag.objects.exists()


def test_a_record_the_mapping_already_links_needs_no_tag(qa):
    with pytest.raises(ApplicationError, match=r"already evidences 5\.1\.1\.c by itself"):
        tag_meeting(qa, "5.1.1.c")


def test_a_record_is_tagged_to_an_item_once_at_a_time(qa, mgmt_rep):
    meeting, _tag = tag_meeting(qa)

    with pytest.raises(ApplicationError, match=r"already tagged to 5\.3\.e"):
        tag_meeting(mgmt_rep, meeting=meeting)

    assert EvidenceTag.objects.count() == 1


def test_a_tag_needs_a_reason(qa):
    with pytest.raises(ValidationError) as exc:
        evidence_tag_create(actor=qa, clause=item("5.3.e"), record=signed_meeting(), note="  ")

    assert "Say why this meeting evidences 5.3.e." in exc.value.message_dict["note"]


def test_records_of_kinds_outside_the_mapping_cannot_be_tagged(qa):
    with pytest.raises(ValidationError) as exc:
        evidence_tag_create(actor=qa, clause=item("5.3.e"), record=DepartmentFactory(), note=NOTE)

    assert "not a kind of record that evidences ISO items" in exc.value.message_dict["object_id"][0]


@pytest.mark.parametrize("persona", ["auditor", "dept_manager", "employee", "outsider"])
def test_roles_without_the_tag_permission_cannot_tag(persona, request):
    with pytest.raises(PermissionDenied):
        tag_meeting(request.getfixturevalue(persona))

    assert not EvidenceTag.objects.exists()


def test_nobody_tags_a_record_their_role_cannot_see():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_evidencetag"))
    feedback = answered_employee_feedback()

    with pytest.raises(PermissionDenied, match="cannot see employee feedback"):
        evidence_tag_create(actor=user, clause=item("5.1.1.i"), record=feedback, note=NOTE)


def test_removing_a_tag_keeps_it_with_who_when_and_why(qa, mgmt_rep):
    meeting, tag = tag_meeting(qa)

    removed = evidence_tag_remove(actor=mgmt_rep, tag=tag, reason="The change was never made.")

    assert removed.removed_by == mgmt_rep
    assert removed.removed_at is not None
    assert removed.removal_reason == "The change was never made."
    assert EvidenceTag.objects.filter(pk=tag.pk).exists()
    assert [h.history_user for h in removed.history.order_by("history_date")] == [qa, mgmt_rep]
    assert evidence_for_clause("5.3.e").rows == []
    assert "5.3.e" not in {c.clause.pk for c in clauses_for_record(meeting)}


def test_a_removed_tag_can_be_made_again_and_both_stay_on_record(qa):
    meeting, first = tag_meeting(qa)
    evidence_tag_remove(actor=qa, tag=first, reason="Tagged too early.")

    _meeting, second = tag_meeting(qa, meeting=meeting)

    assert second.pk != first.pk
    assert EvidenceTag.objects.filter(clause_id="5.3.e").count() == 2


def test_a_removal_needs_a_reason_and_happens_once(qa):
    _meeting, tag = tag_meeting(qa)

    with pytest.raises(ValidationError) as exc:
        evidence_tag_remove(actor=qa, tag=tag, reason="")
    assert "reason" in exc.value.message_dict

    evidence_tag_remove(actor=qa, tag=tag, reason="Wrong meeting.")
    with pytest.raises(ApplicationError, match="already removed"):
        evidence_tag_remove(actor=qa, tag=tag, reason="Again.")


@pytest.mark.parametrize("persona", ["auditor", "dept_manager", "employee"])
def test_roles_without_the_change_permission_cannot_remove_tags(qa, persona, request):
    _meeting, tag = tag_meeting(qa)

    with pytest.raises(PermissionDenied):
        evidence_tag_remove(actor=request.getfixturevalue(persona), tag=tag, reason="No.")

    tag.refresh_from_db()
    assert tag.is_active


def test_a_record_is_found_by_its_kind_and_id():
    meeting = signed_meeting()

    assert evidence_record_get(kind_key="reviews.meeting", object_id=str(meeting.pk)) == meeting
    with pytest.raises(ValidationError) as exc:
        evidence_record_get(kind_key="leadership.department", object_id="1")
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        evidence_record_get(kind_key="reviews.meeting", object_id="999999")
    assert exc.value.message_dict["object_id"] == ["There is no meeting with id 999999."]
    with pytest.raises(ValidationError):
        evidence_record_get(kind_key="reviews.meeting", object_id="abc")
