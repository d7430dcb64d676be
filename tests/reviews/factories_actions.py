"""Factories and helpers for the action register's tests: actions from every source, in every status."""

import datetime

from django.utils import timezone

from reviews.models.actions import Action
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_customers import CustomerFeedbackFactory
from tests.leadership.factories_feedback import EmployeeFeedbackFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.objectives.factories_risks import RiskFactory
from tests.reviews.factories import ActionFactory


def action_from(source: str, **kwargs) -> Action:
    """An action of `source`, pointing at a new record of that kind."""
    records = {
        Action.Source.CUSTOMER_FEEDBACK: ("customer_feedback", CustomerFeedbackFactory),
        Action.Source.EMPLOYEE_FEEDBACK: ("employee_feedback", EmployeeFeedbackFactory),
        Action.Source.OBJECTIVE: ("objective", ObjectiveFactory),
        Action.Source.RISK: ("risk", RiskFactory),
    }
    if source in records:
        field, factory = records[source]
        kwargs.setdefault(field, factory())
        kwargs.setdefault("decision", None)
    return ActionFactory(source=source, **kwargs)


def done_action(**kwargs) -> Action:
    """An action its owner has completed, awaiting verification."""
    return ActionFactory(
        status=Action.Status.DONE,
        completed_at=timezone.now(),
        completion_note="Second inspector rostered on nights from 2 March.",
        **kwargs,
    )


def grow_actions(rows: int) -> list[Action]:
    """Actions of every status, source and priority across a few departments and owners."""
    departments = DepartmentFactory.create_batch(3)
    owners = [PersonFactory(department=departments[i % 3]) for i in range(6)]
    today = timezone.localdate()
    statuses = list(Action.Status)
    created = []
    for i in range(rows):
        status = statuses[i % len(statuses)]
        extra = {}
        if status in (Action.Status.DONE, Action.Status.VERIFIED):
            extra["completed_at"] = timezone.now()
        if status == Action.Status.VERIFIED:
            extra.update(verified_at=timezone.now(), verified_by=owners[(i + 1) % 6])
        owner = owners[i % 6]
        created.append(
            ActionFactory(
                owner=owner,
                department=owner.department,
                status=status,
                priority=list(Action.Priority)[i % 4],
                due_date=today + datetime.timedelta(days=(i % 9) - 4),
                **extra,
            )
        )
    return created
