"""Fixtures, factories and the API URLs shared by the clause catalogue tests (no tests of its own).

`catalogue` loads the requirement items by calling the data migration's own function, so the
tests also run with `--nomigrations`. `evidence_roles` gives the roles the evidence permissions
proposed for `leadership/roles.py` until it carries them.
"""

import datetime
import importlib
from decimal import Decimal

import factory
import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from evidence.models import EvidenceTag
from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import CustomerFeedback
from leadership.models.feedback import EmployeeFeedback
from leadership.models.resources import ResourceRequest
from objectives.models.objectives import TargetRevision
from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import Decision, Meeting, MeetingType
from tests.leadership.factories import PersonFactory, UserFactory
from tests.leadership.factories_customers import CustomerFeedbackFactory, CustomerRequirementFactory
from tests.leadership.factories_feedback import EmployeeFeedbackFactory
from tests.leadership.factories_policy import (
    PolicyAcknowledgementFactory,
    PolicyShareLinkFactory,
    PolicyVersionFactory,
    SignatureFactory,
)
from tests.leadership.factories_positions import (
    ManagementRepresentativeAppointmentFactory,
    PositionAcknowledgementFactory,
    PositionFactory,
    PositionHolderFactory,
)
from tests.leadership.factories_resources import QualityBudgetFactory, ResourceRequestFactory, ResourceSpendFactory
from tests.objectives.factories_measurements import MeasurementFactory
from tests.objectives.factories_objectives import ActionPlanStepFactory, ObjectiveFactory, TargetRevisionFactory
from tests.objectives.factories_risks import RiskFactory
from tests.reviews.factories import (
    ActionFactory,
    AgendaItemFactory,
    AuditFindingFactory,
    DecisionFactory,
    InternalAuditFactory,
    MeetingFactory,
    MeetingTypeFactory,
)

CATALOGUE_MIGRATION = "evidence.migrations.0003_load_clause_catalogue"


# The evidence permissions proposed for leadership/roles.py (auditors, top management and the
# management representative read through their `evidence.view_*` patterns already).
def load_catalogue() -> dict:
    """Run the data migration's loader against the current models (what `migrate` does)."""
    return importlib.import_module(CATALOGUE_MIGRATION).load_catalogue(apps, None)


@pytest.fixture
def catalogue(db):
    """The requirement items, loaded by the migration's function (a no-op when migrations ran)."""
    load_catalogue()


class EvidenceTagFactory(factory.django.DjangoModelFactory):
    """An active tag of a record to a requirement item, written straight to the table."""

    class Meta:
        model = EvidenceTag
        exclude = ["record"]

    record = factory.SubFactory(RiskFactory)
    clause_id = "5.1.1.i"
    content_type = factory.LazyAttribute(lambda t: ContentType.objects.get_for_model(t.record))
    object_id = factory.LazyAttribute(lambda t: str(t.record.pk))
    note = "Reviewed at the quality meeting: the treatment is an improvement project."
    tagged_by = factory.SubFactory(UserFactory)


# Evidence-grade records of every kind --------------------------------------------------------------


def now():
    return timezone.now().replace(microsecond=0)


def signed(**fields) -> dict:
    return {"signature": SignatureFactory(), **fields}


def signed_meeting(**fields) -> Meeting:
    """A meeting held an hour ago whose minutes the chair signed."""
    held = fields.pop("held_at", None) or now() - datetime.timedelta(hours=1)
    defaults = {"status": Meeting.Status.SIGNED, "held_at": held, "signed_at": held + datetime.timedelta(minutes=90)}
    return MeetingFactory(**signed(**{**defaults, **fields}))


def signed_review(*, inputs: dict[str, dict] | None = None, **meeting_fields) -> ManagementReview:
    """A signed management review; `inputs` maps 9.3.2 items to ReviewInput fields (data, entries, note)."""
    review_type = MeetingTypeFactory(name="Management review", category=MeetingType.Category.MANAGEMENT_REVIEW)
    meeting = signed_meeting(type=review_type, **meeting_fields)
    today = timezone.localdate()
    review = ManagementReview.objects.create(
        meeting=meeting,
        period_start=today - datetime.timedelta(days=180),
        period_end=today,
        status=ManagementReview.Status.SIGNED,
        compiled_at=meeting.held_at,
        frozen_at=meeting.held_at,
        signed_at=meeting.signed_at,
        signature=SignatureFactory(),
    )
    for item, values in (inputs or {}).items():
        ReviewInput.objects.create(review=review, item=item, **values)
    return review


def approved_request(**fields) -> ResourceRequest:
    return ResourceRequestFactory(
        **{"status": ResourceRequest.Status.APPROVED, "decided_at": now() - datetime.timedelta(days=2), **fields}
    )


def responded_feedback(**fields) -> CustomerFeedback:
    today = timezone.localdate()
    return CustomerFeedbackFactory(
        **{
            "status": CustomerFeedback.Status.RESPONDED,
            "assessed_on": today,
            "responded_on": today,
            "response": "Second deburring station on line 3.",
            **fields,
        }
    )


def answered_employee_feedback(**fields) -> EmployeeFeedback:
    return EmployeeFeedbackFactory(
        **{
            "status": EmployeeFeedback.Status.ANSWERED,
            "answer": "Thank you: the fixture is being redesigned.",
            "answered_at": now() - datetime.timedelta(days=1),
            **fields,
        }
    )


def approved_revision(objective, **fields) -> TargetRevision:
    return TargetRevisionFactory(
        objective=objective,
        **{"status": TargetRevision.Status.APPROVED, "decided_at": now() - datetime.timedelta(days=3), **fields},
    )


def commitment_entry(requirement_ids: list[str], **fields) -> CommitmentEntry:
    person = fields.pop("person", None) or PersonFactory()
    return CommitmentEntry.objects.create(
        **{
            "date": timezone.localdate(),
            "person": person,
            "description": "Approved the quality training plan for the machine shop.",
            "requirement_ids": requirement_ids,
            **fields,
        }
    )


def verified_action(**fields) -> Action:
    return ActionFactory(
        **{
            "status": Action.Status.VERIFIED,
            "completed_at": now() - datetime.timedelta(days=4),
            "verified_at": now() - datetime.timedelta(days=1),
            "verified_by": PersonFactory(),
            "verification_note": "No burrs in three consecutive lots.",
            **fields,
        }
    )


def completed_audit(**fields) -> InternalAudit:
    return InternalAuditFactory(
        **{"status": InternalAudit.Status.COMPLETED, "audit_date": timezone.localdate() - datetime.timedelta(days=5)}
        | fields
    )


def one_of_each_kind(*, first: bool = True) -> dict[str, object]:
    """One evidence-grade record of every kind of the mapping, keyed by kind (`app_label.model`).

    Later sets (`first=False`) hold a superseded policy and an ended appointment: only one of each
    can be in force.
    """
    policy = PolicyVersionFactory(published=True) if first else PolicyVersionFactory(superseded=True)
    appointment = (
        {"status": "signed"} if first else {"status": "ended", "end_date": timezone.localdate() - datetime.timedelta(1)}
    )
    position = PositionFactory(requirement_ids=["5.3.a", "5.3.d"])
    holding = PositionHolderFactory(position=position)
    request = approved_request(
        category=ResourceRequest.Category.TRAINING, requirement_ids=["5.1.1.e", "5.1.1.h"], serves="OBJ-2026-001"
    )
    requirement = CustomerRequirementFactory()
    objective = ObjectiveFactory(policy_version=policy)
    objective.customer_requirements.add(requirement)
    revision = approved_revision(objective)
    meeting = signed_meeting()
    AgendaItemFactory(meeting=meeting).objectives.add(objective)
    decision = DecisionFactory(meeting=signed_meeting(), output_category=Decision.OutputCategory.IMPROVEMENT)
    decision.target_revisions.add(revision)
    review = signed_review(inputs={"9.3.2.c.1": {"data": {"complaints": 3}}, "9.3.2.b": {"note": ""}})
    audit = completed_audit()
    return {
        "leadership.policyversion": policy,
        "leadership.policyacknowledgement": PolicyAcknowledgementFactory(version=policy),
        "leadership.policysharelink": PolicyShareLinkFactory(version=policy),
        "leadership.position": position,
        "leadership.positionholder": holding,
        "leadership.positionacknowledgement": PositionAcknowledgementFactory(position=position, person=holding.person),
        "leadership.managementrepresentativeappointment": ManagementRepresentativeAppointmentFactory(
            **signed(**appointment)
        ),
        "leadership.commitmententry": commitment_entry(["5.1.1.e", "5.1.1.h"]),
        "leadership.resourcerequest": request,
        "leadership.resourcespend": ResourceSpendFactory(request=request, date=timezone.localdate()),
        "leadership.qualitybudget": QualityBudgetFactory(
            year=timezone.localdate().year, category="training", planned_amount=Decimal("12000.00")
        ),
        "leadership.customerfeedback": responded_feedback(),
        "leadership.customerrequirement": requirement,
        "leadership.employeefeedback": answered_employee_feedback(),
        "objectives.objective": objective,
        "objectives.actionplanstep": ActionPlanStepFactory(objective=objective),
        "objectives.targetrevision": revision,
        "objectives.measurement": MeasurementFactory(objective=objective),
        "objectives.risk": RiskFactory(
            source="customer", last_reviewed_on=timezone.localdate(), last_reviewed_by=UserFactory()
        ),
        "reviews.meetingtype": MeetingTypeFactory(
            category=MeetingType.Category.MANAGEMENT_REVIEW,
            frequency=MeetingType.Frequency.HALF_YEARLY,
            first_occurrence=now(),
        ),
        "reviews.meeting": meeting,
        "reviews.decision": decision,
        "reviews.managementreview": review,
        "reviews.action": verified_action(source=Action.Source.OBJECTIVE, decision=None, objective=objective),
        "reviews.internalaudit": audit,
        "reviews.auditfinding": AuditFindingFactory(audit=audit, kind=AuditFinding.Kind.OPPORTUNITY),
    }
