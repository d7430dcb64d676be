"""One small world for the permission matrix: a persona per role and a record of every kind a URL takes.

Built once per test module (it takes about a second); each request of the matrix runs in a
savepoint that is rolled back, so what an allowed request changes is gone for the next one.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from evidence.models import Clause, DownloadLog, EvidencePack, EvidenceTag
from evidence.services import attachment_add
from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import CustomerFeedback, ResponseTarget
from leadership.roles import Role
from reviews.models.meetings import Attendee, Meeting
from tests.conftest import PASSWORD
from tests.evidence.factories_access import AuditorAccessFactory, WeeklyReportFactory
from tests.evidence.factories_packs import ready_pack
from tests.leadership.factories import DepartmentFactory, PersonFactory
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
    PositionFactory,
    PositionHolderFactory,
)
from tests.leadership.factories_resources import QualityBudgetFactory, ResourceRequestFactory
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
from tests.reviews.factories_calendar import CalendarFeedFactory
from tests.reviews.factories_management_reviews import ManagementReviewFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# The roles of the matrix, by the letter its table uses. The anonymous visitor and the external
# auditor whose access has ended are not in this list: they are refused everywhere but public pages.
PERSONAS = {
    "E": Role.EMPLOYEE,
    "Q": Role.QA_STAFF,
    "D": Role.DEPARTMENT_MANAGER,
    "M": Role.MANAGEMENT_REPRESENTATIVE,
    "C": Role.TOP_MANAGEMENT,
    "A": Role.AUDITOR,
}


@dataclass
class World:
    users: dict = field(default_factory=dict)  # letter (and "X" for the expired auditor) -> user
    records: dict = field(default_factory=dict)  # key -> record, as the table's rows name them
    values: dict = field(default_factory=dict)  # URL parameter -> value, for parameters that are not pks

    def __getitem__(self, key):
        return self.records[key]


def _persona(letter: str, role: Role, department) -> object:
    person = PersonFactory(
        user__username=f"perm-{letter.lower()}",
        user__first_name=role.value.split()[0],
        user__last_name=f"Persona{letter}",
        department=department,
        roles=[role.value],
    )
    person.user.set_password(PASSWORD)
    person.user.save()
    return person.user


def build_world() -> World:
    world = World()
    today = timezone.localdate()
    own = DepartmentFactory(name="Production", code="PRD")
    other = DepartmentFactory(name="Engineering", code="ENG")
    management = DepartmentFactory(name="Management", code="MGT")
    for letter, role in PERSONAS.items():
        department = {"M": management, "C": management, "A": None}.get(letter, own)
        world.users[letter] = _persona(letter, role, department)
    users = world.users
    own.head = users["D"].person
    own.save()
    # An external auditor in their access period, and one whose period ended yesterday.
    AuditorAccessFactory(
        user=users["A"], valid_from=today - datetime.timedelta(days=30), valid_until=today + datetime.timedelta(days=30)
    )
    expired = _persona("X", Role.AUDITOR, None)
    AuditorAccessFactory(
        user=expired, valid_from=today - datetime.timedelta(days=60), valid_until=today - datetime.timedelta(days=1)
    )
    world.users["X"] = expired
    employee, dept_manager, ceo = users["E"].person, users["D"].person, users["C"].person
    other_person = PersonFactory(department=other, roles=[Role.EMPLOYEE.value])

    r = world.records
    r["department"] = own
    r["other_department"] = other
    r["person"] = employee
    r["top_manager"] = ceo

    # Leadership
    r["policy_draft"] = PolicyVersionFactory(author=users["M"])
    r["policy_published"] = PolicyVersionFactory(published=True, number=100)
    r["policy_published"].pdf.save("quality-policy-v100.pdf", ContentFile(PDF_BYTES), save=False)
    r["policy_published"].pdf_sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    r["policy_published"].pdf_rendered_at = timezone.now()
    r["policy_published"].save()
    r["policy_acknowledgement"] = PolicyAcknowledgementFactory(person=employee, version=r["policy_published"])
    r["share_link"] = PolicyShareLinkFactory(version=r["policy_published"], created_by=users["M"])
    r["position"] = PositionFactory(department=own)
    r["position_holder"] = PositionHolderFactory(position=r["position"], person=employee)
    r["appointment"] = ManagementRepresentativeAppointmentFactory(person=users["M"].person)
    r["commitment"] = CommitmentEntry.objects.create(
        date=today, person=ceo, description="Chaired the monthly quality meeting.", requirement_ids=["5.1.1.c"]
    )
    r["resource_request"] = ResourceRequestFactory(requester=dept_manager)
    r["quality_budget"] = QualityBudgetFactory(year=today.year)
    r["customer_feedback"] = CustomerFeedbackFactory(department=own)
    r["customer_requirement"] = CustomerRequirementFactory(department=own)
    r["response_target"] = ResponseTarget.objects.create(
        severity=CustomerFeedback.Severity.HIGH, days_to_response=5, days_to_close=30
    )
    r["order_volume"] = OrderVolumeFactory()
    r["employee_feedback"] = EmployeeFeedbackFactory(reporter=employee)
    r["other_feedback"] = EmployeeFeedbackFactory(reporter=other_person)
    r["anonymous_feedback"] = EmployeeFeedbackFactory(anonymous_item=True, department=own)

    # Objectives
    r["objective"] = ObjectiveFactory(department=own, owner=dept_manager)
    r["other_objective"] = ObjectiveFactory(department=other, owner=other_person)
    r["plan_step"] = ActionPlanStepFactory(objective=r["objective"])
    r["target_revision"] = TargetRevisionFactory(objective=r["objective"], proposed_by=users["D"])
    r["measurement"] = MeasurementFactory(objective=r["objective"], entered_by=users["Q"])
    r["risk"] = RiskFactory(department=own, owner=dept_manager)

    # Reviews
    r["meeting_type"] = MeetingTypeFactory(name="Monthly quality meeting")
    r["meeting"] = MeetingFactory(type=r["meeting_type"], chair=dept_manager)
    r["held_meeting"] = MeetingFactory(
        type=r["meeting_type"],
        chair=dept_manager,
        status=Meeting.Status.HELD,
        planned_start=timezone.now() - datetime.timedelta(hours=1),
        held_at=timezone.now() - datetime.timedelta(hours=1),
    )
    AttendeeFactory(meeting=r["meeting"], person=dept_manager)
    r["attendee"] = AttendeeFactory(meeting=r["meeting"], person=employee)
    r["agenda_item"] = AgendaItemFactory(meeting=r["meeting"], order=1, title="Scrap figures")
    AttendeeFactory(meeting=r["held_meeting"], person=dept_manager)
    r["held_attendee"] = AttendeeFactory(meeting=r["held_meeting"], person=employee, status=Attendee.Status.INVITED)
    r["held_item"] = AgendaItemFactory(meeting=r["held_meeting"], order=1, title="Complaints")
    r["decision"] = DecisionFactory(meeting=r["held_meeting"], agenda_item=r["held_item"], recorded_by=users["D"])
    r["action"] = ActionFactory(decision=r["decision"], owner=employee, created_by=users["Q"])
    r["management_review"] = ManagementReviewFactory(meeting__chair=ceo)
    # An input with manual entries (9.3.2.b, external and internal issues).
    r["review_input"] = r["management_review"].inputs.get(item="9.3.2.b")
    r["audit"] = InternalAuditFactory(lead_auditor=users["Q"].person)
    r["finding"] = AuditFindingFactory(audit=r["audit"], department=own)
    # Everyone's calendar feed, so that reading and resetting one's own feed finds it.
    feeds = {letter: CalendarFeedFactory(user=user) for letter, user in users.items()}
    r["calendar_feed"] = feeds["E"]

    # Evidence
    r["attachment"] = attachment_add(
        actor=users["M"], record=own, uploaded_file=ContentFile(PDF_BYTES, name="org-chart.pdf")
    )
    r["clause"] = Clause.objects.get(pk="5.2.1.a")
    r["evidence_tag"] = EvidenceTag.objects.create(
        clause=r["clause"],
        content_type=ContentType.objects.get_for_model(r["commitment"]),
        object_id=str(r["commitment"].pk),
        note="The managing director's commitment to the policy.",
        tagged_by=users["M"],
    )
    r["pack"] = ready_pack(requested_by=users["M"])
    r["auditor_access"] = users["A"].auditor_access
    r["weekly_report"] = WeeklyReportFactory()
    r["weekly_report"].file.save(f"weekly-report-{r['weekly_report'].week}.pdf", ContentFile(PDF_BYTES), save=False)
    r["weekly_report"].sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    r["weekly_report"].save()
    r["download_log"] = DownloadLog.objects.create(
        user=users["A"],
        kind=DownloadLog.Kind.PACK,
        content_type=ContentType.objects.get_for_model(EvidencePack),
        object_id=str(r["pack"].pk),
        file_name=f"{r['pack'].reference}.pdf",
    )

    world.values = {
        "token": r["share_link"].token,
        "calendar_token": r["calendar_feed"].token,
        "year": today.year,
        "severity": CustomerFeedback.Severity.HIGH,
        "week": r["weekly_report"].week,
        "kind": "policy",
        "rendered_kind": "review",
        "department_type": ContentType.objects.get_for_model(own).pk,
        "uidb64": urlsafe_base64_encode(force_bytes(employee.user.pk)),
        "reset_token": default_token_generator.make_token(employee.user),
        "item_pk": r["agenda_item"].pk,
        "attendee_pk": r["attendee"].pk,
    }
    return world
