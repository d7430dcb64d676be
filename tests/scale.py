"""Generic "grow" functions for query-count tests: `n` more rows of one family of records.

Each grower takes the number of rows to add and the Person of the user who will read the page,
and writes rows whose related records all differ (owners, departments, meetings...), so that a
page that reads a relation row by row shows it as extra queries. Rows that a "mine" page lists
are tied to `me` (owner, attendee, holder, submitter) and the others to fresh people.
"""

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from evidence.models import DownloadLog
from leadership.models.people import Person
from leadership.models.resources import QualityBudget, ResourceRequest
from objectives.models.objectives import Objective
from qms.models import Notification
from reviews.models.actions import Action
from reviews.models.meetings import Attendee, Decision, MeetingType
from tests.evidence.factories_access import AuditorAccessFactory, WeeklyReportFactory
from tests.evidence.factories_packs import EvidencePackFactory
from tests.evidence.test_clauses_factories import (
    EvidenceTagFactory,
    answered_employee_feedback,
    approved_request,
    approved_revision,
    commitment_entry,
    completed_audit,
    responded_feedback,
    signed,
    signed_meeting,
    signed_review,
    verified_action,
)
from tests.leadership.factories import DepartmentFactory, PersonFactory, UserFactory
from tests.leadership.factories_customers import (
    CustomerFeedbackFactory,
    CustomerRequirementFactory,
    OrderVolumeFactory,
)
from tests.leadership.factories_feedback import EmployeeFeedbackFactory
from tests.leadership.factories_policy import (
    PolicyAcknowledgementFactory,
    PolicyShareLinkFactory,
    PolicyVersionFactory,
)
from tests.leadership.factories_positions import (
    ManagementRepresentativeAppointmentFactory,
    PositionAcknowledgementFactory,
    PositionFactory,
    PositionHolderFactory,
)
from tests.leadership.factories_resources import ResourceRequestFactory, ResourceSpendFactory
from tests.objectives.factories_measurements import MeasurementFactory
from tests.objectives.factories_objectives import ActionPlanStepFactory, ObjectiveFactory, TargetRevisionFactory
from tests.objectives.factories_risks import RiskFactory
from tests.reviews.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    AuditFindingFactory,
    DecisionFactory,
    InternalAuditFactory,
    MeetingFactory,
    MeetingTypeFactory,
)

Grower = Callable[[int, Person], None]
_serial = itertools.count(1)


def _now() -> datetime.datetime:
    return timezone.now().replace(microsecond=0)


def grow_departments(n: int, me: Person) -> None:
    for _ in range(n):
        department = DepartmentFactory()
        PersonFactory(department=department)


def grow_people(n: int, me: Person) -> None:
    for i in range(n):
        PersonFactory(department=DepartmentFactory(), roles=[["employee"], ["qa_staff"], []][i % 3])


def grow_policy_versions(n: int, me: Person) -> None:
    for _ in range(n):
        PolicyVersionFactory(superseded=True)


def grow_policy_acknowledgements(n: int, me: Person) -> None:
    for _ in range(n):
        PolicyAcknowledgementFactory(version=PolicyVersionFactory(superseded=True))


def grow_policy_share_links(n: int, me: Person) -> None:
    for _ in range(n):
        PolicyShareLinkFactory(version=PolicyVersionFactory(superseded=True))


def grow_positions(n: int, me: Person) -> None:
    for i in range(n):
        position = PositionFactory(department=DepartmentFactory(), requirement_ids=["5.3.a"])
        holding = PositionHolderFactory(position=position, person=me if i % 2 else PersonFactory())
        PositionAcknowledgementFactory(position=position, person=holding.person)


def grow_appointments(n: int, me: Person) -> None:
    for i in range(n):
        ManagementRepresentativeAppointmentFactory(
            **signed(status="ended", end_date=timezone.localdate() - datetime.timedelta(days=i + 1))
        )


def grow_commitment(n: int, me: Person) -> None:
    for i in range(n):
        commitment_entry(["5.1.1.e", "5.1.1.h"], person=me if i % 2 else PersonFactory(roles=["top_management"]))


def grow_resource_requests(n: int, me: Person) -> None:
    for i in range(n):
        if i % 2:
            request = approved_request(requester=PersonFactory(department=DepartmentFactory()))
            ResourceSpendFactory(request=request, date=timezone.localdate())
        else:
            ResourceRequestFactory(requester=PersonFactory(department=DepartmentFactory()))


def grow_quality_budgets(n: int, me: Person) -> None:
    categories = QualityBudget.Category.values
    for i in range(n):
        year = 2000 + next(_serial)
        QualityBudget.objects.create(
            year=year, category=categories[i % len(categories)], planned_amount=Decimal("5000.00"), currency="GBP"
        )
        ResourceRequestFactory(status=ResourceRequest.Status.SUBMITTED)


def grow_customer_feedback(n: int, me: Person) -> None:
    for i in range(n):
        if i % 2:
            responded_feedback(owner=me, department=DepartmentFactory())
        else:
            CustomerFeedbackFactory(owner=PersonFactory(), department=DepartmentFactory())


def grow_customer_requirements(n: int, me: Person) -> None:
    for _ in range(n):
        CustomerRequirementFactory()


def grow_order_volumes(n: int, me: Person) -> None:
    for _ in range(n):
        month = next(_serial)
        OrderVolumeFactory(month=datetime.date(1900 + month // 12, month % 12 + 1, 1), orders=300 + month)


def grow_employee_feedback(n: int, me: Person) -> None:
    for i in range(n):
        if i % 2:
            answered_employee_feedback(reporter=me, department=DepartmentFactory(), answered_by=UserFactory())
        else:
            EmployeeFeedbackFactory(reporter=PersonFactory(), department=DepartmentFactory())


def grow_objectives(n: int, me: Person) -> None:
    for i in range(n):
        objective = ObjectiveFactory(owner=me if i % 2 else PersonFactory(department=DepartmentFactory()))
        ActionPlanStepFactory(objective=objective)
        MeasurementFactory(objective=objective)
        if i % 3 == 0:
            TargetRevisionFactory(objective=objective)


def grow_target_revisions(n: int, me: Person) -> None:
    for i in range(n):
        objective = ObjectiveFactory(owner=PersonFactory(department=DepartmentFactory()))
        approved_revision(objective) if i % 2 else TargetRevisionFactory(objective=objective)


def grow_plan_steps(n: int, me: Person) -> None:
    for _ in range(n):
        ActionPlanStepFactory(objective=ObjectiveFactory(owner=PersonFactory()))


def grow_measurements(n: int, me: Person) -> None:
    for _ in range(n):
        MeasurementFactory(objective=ObjectiveFactory(owner=PersonFactory(department=DepartmentFactory())))


def grow_risks(n: int, me: Person) -> None:
    for i in range(n):
        RiskFactory(**({"last_reviewed_on": timezone.localdate(), "last_reviewed_by": UserFactory()} if i % 2 else {}))


def grow_meeting_types(n: int, me: Person) -> None:
    for i in range(n):
        MeetingTypeFactory(
            category=MeetingType.Category.QUALITY,
            frequency=MeetingType.Frequency.HALF_YEARLY if i % 2 else MeetingType.Frequency.MONTHLY,
            first_occurrence=_now(),
        )


def grow_meetings(n: int, me: Person) -> None:
    """Planned and signed meetings of different types and chairs, `me` invited to each."""
    for i in range(n):
        meeting_type = MeetingTypeFactory()
        if i % 2:
            meeting = signed_meeting(type=meeting_type, chair=PersonFactory())
            DecisionFactory(meeting=meeting)
        else:
            meeting = MeetingFactory(type=meeting_type, chair=PersonFactory())
        AgendaItemFactory(meeting=meeting)
        AttendeeFactory(meeting=meeting, person=me)
        AttendeeFactory(meeting=meeting, person=PersonFactory())


def grow_attendance(n: int, me: Person) -> None:
    """Signed meetings where `me` and another person were present or absent."""
    for i in range(n):
        meeting = signed_meeting(type=MeetingTypeFactory(), chair=PersonFactory())
        for person in (me, PersonFactory(department=DepartmentFactory())):
            AttendeeFactory(
                meeting=meeting, person=person, status=Attendee.Status.values[i % len(Attendee.Status.values)]
            )


def grow_decisions(n: int, me: Person) -> None:
    for i in range(n):
        DecisionFactory(
            meeting=signed_meeting(type=MeetingTypeFactory()),
            output_category=Decision.OutputCategory.IMPROVEMENT if i % 2 else Decision.OutputCategory.RESOURCE_NEED,
        )


def grow_management_reviews(n: int, me: Person) -> None:
    for _ in range(n):
        signed_review(inputs={"9.3.2.c.1": {"data": {"complaints": 3}}, "9.3.2.b": {"note": ""}}, chair=PersonFactory())


def grow_actions(n: int, me: Person) -> None:
    """Open, overdue, done and verified actions of several sources; every other one owned by `me`."""
    for i in range(n):
        owner = me if i % 2 else PersonFactory(department=DepartmentFactory())
        kind = i % 4
        if kind == 0:
            ActionFactory(owner=owner)
        elif kind == 1:
            ActionFactory(owner=owner, due_date=timezone.localdate() - datetime.timedelta(days=3))
        elif kind == 2:
            ActionFactory(owner=owner, status=Action.Status.DONE, completed_at=_now())
        else:
            verified_action(
                owner=owner, source=Action.Source.OBJECTIVE, decision=None, objective=ObjectiveFactory(owner=owner)
            )


def grow_audits(n: int, me: Person) -> None:
    for i in range(n):
        audit = completed_audit(lead_auditor=PersonFactory()) if i % 2 else InternalAuditFactory()
        AuditFindingFactory(audit=audit)


def grow_findings(n: int, me: Person) -> None:
    for _ in range(n):
        AuditFindingFactory(audit=completed_audit(lead_auditor=PersonFactory()), department=DepartmentFactory())


def grow_evidence_tags(n: int, me: Person) -> None:
    for i in range(n):
        EvidenceTagFactory(record=RiskFactory(), clause_id=["5.1.1.i", "5.3.a", "5.1.1.e"][i % 3])


def grow_evidence_packs(n: int, me: Person) -> None:
    for _ in range(n):
        EvidencePackFactory()


def grow_download_log(n: int, me: Person) -> None:
    for _ in range(n):
        pack = EvidencePackFactory()
        DownloadLog.objects.create(
            user=UserFactory(),
            kind=DownloadLog.Kind.PACK,
            content_type=ContentType.objects.get_for_model(pack),
            object_id=str(pack.pk),
            file_name=f"{pack.reference}.pdf",
        )


def grow_auditor_access(n: int, me: Person) -> None:
    for _ in range(n):
        AuditorAccessFactory()


def grow_weekly_reports(n: int, me: Person) -> None:
    for _ in range(n):
        WeeklyReportFactory()


def grow_notifications(n: int, me: Person) -> None:
    """Notifications of `me`: the first one unread (the page marks it read), the others read already."""
    for k in range(n):
        i = next(_serial)
        Notification.objects.create(
            recipient=me.user,
            kind="action-overdue",
            subject_key=f"reviews.action:{i}",
            period="2026-W48",
            title=f"Action ACT-2026-{i:03d} is overdue",
            read_at=_now() if k else None,
        )


def one_unread_notification(n: int, me: Person) -> None:
    """`n` unread notifications of `me`."""
    for _ in range(n):
        i = next(_serial)
        Notification.objects.create(
            recipient=me.user, kind="action-overdue", subject_key=f"reviews.action:{i}", period="2026-W48", title="New"
        )


def grow_objective_dashboard(n: int, me: Person) -> None:
    """Active objectives of many departments, each with a measurement."""
    for _ in range(n):
        objective = ObjectiveFactory(owner=PersonFactory(department=DepartmentFactory()))
        if objective.status != Objective.Status.ACTIVE:
            Objective.objects.filter(pk=objective.pk).update(status=Objective.Status.ACTIVE)
        MeasurementFactory(objective=objective)


def grow_everything(n: int, me: Person) -> None:
    """`n` rows of every family a dashboard sums up (home, readiness)."""
    for grower in (
        grow_policy_acknowledgements,
        grow_positions,
        grow_commitment,
        grow_resource_requests,
        grow_customer_feedback,
        grow_employee_feedback,
        grow_objectives,
        grow_risks,
        grow_meetings,
        grow_management_reviews,
        grow_actions,
        grow_audits,
        grow_notifications,
    ):
        grower(n, me)
