"""Selectors of the employee quality feedback box (5.1.1.h)."""

import datetime
import hashlib
import re

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from leadership.models import Person
from leadership.models.feedback import EmployeeFeedback, feedback_answer_days


def answer_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Feedback submitted before this moment and still unanswered is overdue."""
    return (now or timezone.now()) - datetime.timedelta(days=feedback_answer_days())


def overdue_q(now: datetime.datetime | None = None) -> Q:
    return Q(status__in=EmployeeFeedback.OPEN_STATUSES, submitted_at__lt=answer_cutoff(now))


def employee_feedback_list(now: datetime.datetime | None = None) -> QuerySet[EmployeeFeedback]:
    """The register: each item with its department, reporter (none when anonymous) and overdue flag."""
    return EmployeeFeedback.objects.select_related(
        "department", "reporter__user", "answered_by", "acknowledged_by"
    ).annotate(overdue=Case(When(overdue_q(now), then=Value(True)), default=Value(False), output_field=BooleanField()))


def employee_feedback_get(pk) -> EmployeeFeedback:
    return employee_feedback_list().get(pk=pk)


def employee_feedback_mine(person: Person | None) -> QuerySet[EmployeeFeedback]:
    """What a named reporter submitted; anonymous items are never linked to anyone, so never listed here."""
    if person is None:
        return EmployeeFeedback.objects.none()
    return employee_feedback_list().filter(reporter=person)


def employee_feedback_overdue(now: datetime.datetime | None = None) -> QuerySet[EmployeeFeedback]:
    return employee_feedback_list(now).filter(overdue_q(now)).order_by("submitted_at", "pk")


def normalise_code(code: str) -> str:
    """The follow-up code as stored: capitals and digits only, so spaces and dashes do not matter."""
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode("ascii")).hexdigest()


def employee_feedback_by_code(code: str) -> EmployeeFeedback | None:
    """The anonymous item whose follow-up code this is, or None."""
    if len(normalise_code(code)) < 16:
        return None
    return employee_feedback_list().filter(anonymous=True, followup_code_hash=hash_code(code)).first()


def employee_feedback_figures(now: datetime.datetime | None = None) -> dict:
    """Head-line figures for a dashboard panel, in one query."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=365)
    figures = EmployeeFeedback.objects.aggregate(
        open=Count("pk", filter=Q(status__in=EmployeeFeedback.OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_q(now)),
        answered_last_year=Count("pk", filter=Q(answered_at__gte=since)),
        submitted_last_year=Count("pk", filter=Q(submitted_at__gte=since)),
    )
    figures["answer_days"] = feedback_answer_days()
    return figures
