"""Factories and helpers for the internal audit tests: scoped audits, completed audits, actions from findings."""

import datetime

import factory
from django.utils import timezone

from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.reviews.factories import ActionFactory, AuditFindingFactory, InternalAuditFactory


class ScopedAuditFactory(InternalAuditFactory):
    """A planned audit with criteria, whose scope lists the departments given (default: one new department)."""

    criteria = "ISO 9001:2015 clauses 5, 6.2 and 9.3"

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create:
            self.departments.set(extracted if extracted is not None else [DepartmentFactory()])


class CompletedAuditFactory(ScopedAuditFactory):
    status = InternalAudit.Status.COMPLETED
    audit_date = factory.SelfAttribute("planned_date")
    summary = "Requirements met in the areas audited, with the findings below."


def finding_in(audit: InternalAudit, **kwargs) -> AuditFinding:
    """A finding of `audit`, against its first department in scope unless told otherwise."""
    kwargs.setdefault("department", audit.departments.first())
    return AuditFindingFactory(audit=audit, **kwargs)


class FindingActionFactory(ActionFactory):
    """An open action from an audit finding."""

    source = Action.Source.AUDIT_FINDING
    decision = None
    audit_finding = factory.SubFactory(AuditFindingFactory)

    class Params:
        done = factory.Trait(status=Action.Status.DONE, completed_at=factory.LazyFunction(timezone.now))
        verified = factory.Trait(
            status=Action.Status.VERIFIED,
            completed_at=factory.LazyFunction(timezone.now),
            verified_at=factory.LazyFunction(timezone.now),
            verified_by=factory.SubFactory(PersonFactory),
            verification_note="Checked on both shifts: effective.",
        )


def grow_audits(rows: int) -> None:
    """Audits over three departments and lead auditors, each with two findings and one action: for query counts."""
    departments = DepartmentFactory.create_batch(3)
    auditors = [PersonFactory(department=None) for _ in range(3)]
    today = timezone.localdate()
    for i in range(rows):
        audit = (CompletedAuditFactory if i % 2 else ScopedAuditFactory)(
            lead_auditor=auditors[i % 3],
            departments=[departments[i % 3], departments[(i + 1) % 3]],
            planned_date=today - datetime.timedelta(days=i),
        )
        minor = AuditFindingFactory(audit=audit, number=1, department=departments[i % 3])
        AuditFindingFactory(audit=audit, number=2, kind=AuditFinding.Kind.OBSERVATION, department=None)
        FindingActionFactory(audit_finding=minor, owner=auditors[(i + 1) % 3])
