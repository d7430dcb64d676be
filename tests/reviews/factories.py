"""Factories of meetings, decisions, actions and internal audits."""

import datetime

import factory
from django.utils import timezone

from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MeetingType
from tests.leadership.factories import DepartmentFactory, PersonFactory, UserFactory


class MeetingTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingType
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Quality meeting {n}")
    category = MeetingType.Category.QUALITY


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planned meeting next week, chaired by a new person."""

    class Meta:
        model = Meeting

    reference = factory.Sequence(lambda n: f"MTG-2026-{n + 1:03d}")
    type = factory.SubFactory(MeetingTypeFactory)
    title = factory.LazyAttribute(lambda m: m.type.name)
    planned_start = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=7))
    chair = factory.SubFactory(PersonFactory)


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Add a second final inspector on the night shift from next month."
    recorded_by = factory.SubFactory(UserFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    """An open action from a meeting decision, due in two weeks."""

    class Meta:
        model = Action

    reference = factory.Sequence(lambda n: f"ACT-2026-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Action {n}")
    source = Action.Source.MEETING_DECISION
    decision = factory.SubFactory(DecisionFactory)
    owner = factory.SubFactory(PersonFactory)
    department = factory.SelfAttribute("owner.department")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    created_by = factory.SubFactory(UserFactory)


class InternalAuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InternalAudit

    reference = factory.Sequence(lambda n: f"IA-2026-{n + 1:03d}")
    title = "Internal audit of clause 5 and 9.3"
    processes = "Management review\nQuality objectives"
    planned_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    lead_auditor = factory.SubFactory(PersonFactory)


class AuditFindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditFinding

    audit = factory.SubFactory(InternalAuditFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = AuditFinding.Kind.MINOR
    department = factory.SubFactory(DepartmentFactory)
    clause = "9.3.2"
    description = "Management review minutes do not show the status of actions from the previous review."
