"""Factories and fixtures of the auditor access and weekly report tests (no tests of its own)."""

import datetime

import factory

from evidence.models import AuditorAccess, WeeklyReport
from leadership.roles import Role
from tests.conftest import PASSWORD
from tests.leadership.factories import PersonFactory, UserFactory


def auditor_account(username="c.dubois", first_name="Claire", last_name="Dubois", **kwargs):
    """An account holding the Auditor role only, with the test password."""
    person = PersonFactory(
        user__username=username,
        user__first_name=first_name,
        user__last_name=last_name,
        department=None,
        roles=[Role.AUDITOR.value],
        **kwargs,
    )
    person.user.set_password(PASSWORD)
    person.user.save()
    return person.user


def representative(first_name="Priya", last_name="Raman", username="p.raman"):
    person = PersonFactory(
        user__username=username,
        user__first_name=first_name,
        user__last_name=last_name,
        roles=[Role.MANAGEMENT_REPRESENTATIVE.value],
    )
    return person.user


class AuditorAccessFactory(factory.django.DjangoModelFactory):
    """An access period written straight to the table (the service is tested on its own)."""

    class Meta:
        model = AuditorAccess

    user = factory.LazyFunction(lambda: auditor_account(username=f"ext{AuditorAccess.objects.count()}"))
    organisation = "Meridian Certification Ltd"
    valid_from = datetime.date(2026, 11, 1)
    valid_until = datetime.date(2026, 11, 30)
    granted_by = factory.SubFactory(UserFactory)


class WeeklyReportFactory(factory.django.DjangoModelFactory):
    """A written report of an ISO week (consecutive weeks going back from 2026-W48), without its PDF."""

    class Meta:
        model = WeeklyReport

    period_start = factory.Sequence(lambda n: datetime.date(2026, 11, 23) - datetime.timedelta(weeks=n))
    period_end = factory.LazyAttribute(lambda r: r.period_start + datetime.timedelta(days=6))
    week = factory.LazyAttribute(lambda r: f"{r.period_start.isocalendar()[0]}-W{r.period_start.isocalendar()[1]:02d}")
    generated_at = factory.LazyAttribute(
        lambda r: (
            datetime.datetime.combine(r.period_end, datetime.time(6, 30), tzinfo=datetime.UTC)
            + datetime.timedelta(days=1)
        )
    )
    data = factory.LazyAttribute(
        lambda r: {
            "week": r.week,
            "as_of": (r.period_end + datetime.timedelta(days=1)).isoformat(),
            "representatives": ["Priya Raman"],
            "complaints": [],
            "overdue_actions": [],
            "off_track": [],
            "missing_measurements": [],
            "unanswered_feedback": [],
            "resources_submitted": [],
            "resources_decided": [],
            "counts": {},
        }
    )


# A week with something in every section (2026-W48: Monday 23 to Sunday 29 Nov 2026) --------------------

WEEK = "2026-W48"
MONDAY_AFTER = datetime.datetime(2026, 11, 30, 7, 30, tzinfo=datetime.UTC)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def plant_week(ceo) -> dict:
    """Records in and around week 2026-W48; returns those the report must show (`ceo` decides a request)."""
    from decimal import Decimal

    from django.utils import timezone

    from leadership.models.customers import CustomerFeedback
    from leadership.models.feedback import EmployeeFeedback
    from leadership.models.resources import ResourceRequest
    from objectives.models import Objective
    from objectives.services.progress import KIND_OFF_TRACK, subject_key
    from qms.models import Notification
    from reviews.models.actions import Action
    from tests.leadership.factories_customers import CustomerFactory, CustomerFeedbackFactory
    from tests.leadership.factories_feedback import EmployeeFeedbackFactory
    from tests.leadership.factories_resources import ResourceRequestFactory
    from tests.objectives.factories_measurements import MeasurementFactory
    from tests.objectives.factories_objectives import ObjectiveFactory
    from tests.reviews.factories import ActionFactory

    D = datetime.date
    airbus = CustomerFactory(name="Aerostructures Ltd")
    high = CustomerFeedbackFactory(
        reference="CF-2026-041", customer=airbus, received_date=D(2026, 11, 25), severity="high"
    )
    critical = CustomerFeedbackFactory(
        reference="CF-2026-042",
        type=CustomerFeedback.Type.RETURN,
        customer=CustomerFactory(name="Midland Automotive"),
        received_date=D(2026, 11, 29),
        severity="critical",
    )
    CustomerFeedbackFactory(reference="CF-2026-040", received_date=D(2026, 11, 20))  # the week before
    CustomerFeedbackFactory(
        reference="CF-2026-043", type=CustomerFeedback.Type.COMPLIMENT, severity="", received_date=D(2026, 11, 26)
    )

    overdue = ActionFactory(reference="ACT-2026-101", title="Recalibrate CMM probe", due_date=D(2026, 11, 20))
    ActionFactory(reference="ACT-2026-102", due_date=D(2026, 12, 5))
    ActionFactory(  # done late, awaiting verification: no longer overdue
        reference="ACT-2026-103", due_date=D(2026, 11, 10), status=Action.Status.DONE, completed_at=_at(D(2026, 11, 12))
    )

    off_track = ObjectiveFactory(reference="OBJ-2026-007", title="Scrap rate below 2%")
    earlier = ObjectiveFactory(reference="OBJ-2026-008")
    for objective, day in ((off_track, "2026-11-26"), (earlier, "2026-11-16")):
        Notification.objects.create(
            recipient=objective.owner.user,
            kind=KIND_OFF_TRACK,
            subject_key=subject_key(objective.pk),
            period=day,
            title=f"{objective.reference} is off track",
        )

    weekly = ObjectiveFactory(
        reference="OBJ-2026-009",
        title="On-time delivery",
        frequency=Objective.Frequency.WEEKLY,
        start_date=D(2026, 11, 2),
        due_date=D(2027, 6, 30),
    )
    for monday in (D(2026, 11, 2), D(2026, 11, 9)):
        MeasurementFactory(objective=weekly, period_start=monday, value=Decimal("96"))
    ObjectiveFactory(reference="OBJ-2026-010", draft=True, start_date=D(2026, 1, 1))
    # Measured in full (October; November is not due yet): nothing missing.
    for objective in (earlier, off_track):
        Objective.objects.filter(pk=objective.pk).update(start_date=D(2026, 10, 1), due_date=D(2027, 6, 30))
        MeasurementFactory(objective=objective, period_start=D(2026, 10, 1), value=Decimal("1.8"))

    unanswered = EmployeeFeedbackFactory(
        reference="EF-2026-021", title="Coolant mist at cell 4", anonymous_item=True, department=overdue.department
    )
    EmployeeFeedback.objects.filter(pk=unanswered.pk).update(submitted_at=_at(D(2026, 11, 10)))
    EmployeeFeedbackFactory(reference="EF-2026-022", submitted_at=_at(D(2026, 11, 25)))

    submitted = ResourceRequestFactory(reference="RR-2026-031", title="Second height gauge", amount=Decimal("2450"))
    decided = ResourceRequestFactory(
        reference="RR-2026-030",
        title="Bore gauge set",
        status=ResourceRequest.Status.APPROVED,
        decided_by=ceo,
        decided_at=_at(D(2026, 11, 26), 14),
    )
    old = ResourceRequestFactory(reference="RR-2026-029")
    ResourceRequest.objects.filter(pk=submitted.pk).update(created_at=_at(D(2026, 11, 24)))
    ResourceRequest.objects.filter(pk=decided.pk).update(created_at=_at(D(2026, 11, 2)))
    ResourceRequest.objects.filter(pk=old.pk).update(created_at=_at(D(2026, 11, 16)))
    assert timezone.get_current_timezone_name() == "Europe/London"
    return {
        "complaints": [critical, high],
        "overdue": overdue,
        "off_track": off_track,
        "weekly": weekly,
        "unanswered": unanswered,
        "submitted": submitted,
        "decided": decided,
    }
