"""Services of the employee quality feedback box (5.1.1.h).

Any employee reports a quality problem or an improvement idea, with their name or
anonymously. Anonymous feedback stores nothing that leads back to the reporter: no person,
no history user; the reporter keeps a follow-up code, of which only a SHA-256 is stored.
Management acknowledges, answers within CLAUSE5_FEEDBACK_ANSWER_DAYS, and closes.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadership.models import Department, Person
from leadership.models.commitment import CommitmentEntry
from leadership.models.feedback import EmployeeFeedback, feedback_answer_days
from leadership.roles import Role
from leadership.selectors.feedback import employee_feedback_overdue, hash_code
from leadership.services.commitment import commitment_record_from
from qms import outbox
from qms.concurrency import check_version
from qms.exceptions import ApplicationError
from qms.notifications import notify_once
from qms.references import save_with_reference

REFERENCE_PREFIX = "EF"
# No 0/O or 1/I: the code is read from a screen and typed again, maybe weeks later.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 20  # 100 bits: guessing is hopeless, so no lock-out is needed.
ANSWER_PERMISSION = "leadership.answer_employeefeedback"


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def _save_with_actor(instance, actor) -> None:
    instance.full_clean()
    instance._history_user = actor
    instance.save()


@transaction.atomic
def employee_feedback_submit(
    *,
    actor,
    kind: str,
    title: str,
    description: str,
    department: Department | None = None,
    anonymous: bool = False,
) -> tuple[EmployeeFeedback, str | None]:
    """Put a problem or idea in the feedback box; returns it and, when anonymous, the follow-up code.

    The code is returned once and never stored: only its SHA-256 is kept.
    """
    if not actor.has_perm("leadership.add_employeefeedback"):
        raise PermissionDenied("Your account cannot submit feedback.")
    feedback = EmployeeFeedback(
        kind=kind, title=title, description=description, department=department, anonymous=anonymous
    )
    code = None
    if anonymous:
        code = _new_code()
        feedback.followup_code_hash = hash_code(code)
        # None, not the actor: an explicit None also keeps simple-history's request middleware
        # from filling in the signed-in user.
        history_user = None
    else:
        feedback.reporter = Person.objects.filter(user=actor).first()
        if feedback.reporter is None:
            raise ValidationError(
                {"anonymous": "Your account has no person profile, so feedback can only be sent anonymously."}
            )
        history_user = actor
    save_with_reference(feedback, history_user, REFERENCE_PREFIX)
    return feedback, code


# What a conflicting answer is described by; never the reporter, whom anonymity protects.
CONFLICT_FIELDS = ("status", "answer", "answered_at", "answered_by", "acknowledged_at", "acknowledged_by", "closed_at")


def _lock(feedback: EmployeeFeedback) -> EmployeeFeedback:
    return EmployeeFeedback.objects.select_for_update().get(pk=feedback.pk)


def _check_may_answer(actor) -> None:
    if not actor.has_perm(ANSWER_PERMISSION):
        raise PermissionDenied("Only managers who answer employee feedback can do this.")


@transaction.atomic
def employee_feedback_acknowledge(*, actor, feedback: EmployeeFeedback) -> EmployeeFeedback:
    """Tell the reporter the item was seen and is being looked at."""
    _check_may_answer(actor)
    feedback = _lock(feedback)
    if feedback.status != EmployeeFeedback.Status.NEW:
        raise ApplicationError(
            f"{feedback.reference} is {feedback.get_status_display().lower()}: only new feedback can be acknowledged."
        )
    feedback.status = EmployeeFeedback.Status.ACKNOWLEDGED
    feedback.acknowledged_at = timezone.now()
    feedback.acknowledged_by = actor
    _save_with_actor(feedback, actor)
    return feedback


@transaction.atomic
def employee_feedback_answer(
    *, actor, feedback: EmployeeFeedback, answer: str, expected_version: int | None = None
) -> EmployeeFeedback:
    """Answer the reporter; a top manager's answer is logged as leadership commitment (5.1.1.h).

    With `expected_version` (the version the manager opened), an item someone answered or changed
    meanwhile is refused with `EditConflict`, which shows their answer.
    """
    _check_may_answer(actor)
    feedback = _lock(feedback)
    check_version(feedback, expected_version, fields=CONFLICT_FIELDS)
    if feedback.status not in EmployeeFeedback.OPEN_STATUSES:
        raise ApplicationError(
            f"{feedback.reference} is already {feedback.get_status_display().lower()}; an answer is not changed."
        )
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Write the answer the reporter will read."})
    feedback.status = EmployeeFeedback.Status.ANSWERED
    feedback.answer = answer
    feedback.answered_at = timezone.now()
    feedback.answered_by = actor
    _save_with_actor(feedback, actor)
    person = Person.objects.filter(user=actor).select_related("user").first()
    if person is not None:
        commitment_record_from(
            person=person,
            source=CommitmentEntry.Source.FEEDBACK_RESPONDED,
            source_record=feedback,
            date=timezone.localdate(feedback.answered_at),
            description=f"Answered employee {feedback.get_kind_display().lower()} {feedback.reference}: "
            f"{feedback.title}.",
            requirement_ids=list(EmployeeFeedback.REQUIREMENT_IDS),
        )
    if feedback.reporter_id is not None:
        from leadership.tasks.feedback import employee_feedback_notify_answered_task

        outbox.enqueue(employee_feedback_notify_answered_task, feedback.pk)
    return feedback


@transaction.atomic
def employee_feedback_close(*, actor, feedback: EmployeeFeedback) -> EmployeeFeedback:
    """Close an answered item: nothing more is expected on it."""
    _check_may_answer(actor)
    feedback = _lock(feedback)
    if feedback.status != EmployeeFeedback.Status.ANSWERED:
        raise ApplicationError(
            f"{feedback.reference} is {feedback.get_status_display().lower()}: only answered feedback can be closed."
        )
    feedback.status = EmployeeFeedback.Status.CLOSED
    feedback.closed_at = timezone.now()
    _save_with_actor(feedback, actor)
    return feedback


# Notifications -------------------------------------------------------------------------------


def employee_feedback_notify_overdue() -> int:
    """Send each management representative, once a day, the list of feedback overdue for an answer.

    Returns the number of e-mails sent now; a second run the same day sends none.
    """
    overdue = list(employee_feedback_overdue())
    if not overdue:
        return 0
    days = feedback_answer_days()
    lines = [
        f"- {f.reference} ({f.get_kind_display().lower()}, {f.department or 'no department'}): {f.title}, "
        f"submitted {timezone.localtime(f.submitted_at):%d %b %Y}"
        for f in overdue
    ]
    title = f"{len(overdue)} employee feedback item{'s' if len(overdue) != 1 else ''} not answered within {days} days"
    body = f"These items of the employee quality feedback box are past the {days}-day answer limit:\n\n" + "\n".join(
        lines
    )
    url = settings.BASE_URL + reverse("leadership:employee-feedback-list") + "?overdue=true"
    recipients = get_user_model().objects.filter(is_active=True, groups__name=Role.MANAGEMENT_REPRESENTATIVE)
    period = timezone.localdate().isoformat()
    sent = 0
    for user in recipients.distinct():
        sent += notify_once(
            recipient=user,
            kind="employee-feedback-overdue",
            subject_key="leadership.employeefeedback:overdue",
            period=period,
            title=title,
            body=body,
            url=url,
        )
    return sent


def employee_feedback_notify_answered(*, feedback_id: int) -> bool:
    """Tell a named reporter that their feedback was answered (once)."""
    feedback = EmployeeFeedback.objects.select_related("reporter__user").filter(pk=feedback_id).first()
    if feedback is None or feedback.reporter is None or feedback.answered_at is None:
        return False
    return notify_once(
        recipient=feedback.reporter.user,
        kind="employee-feedback-answered",
        subject_key=f"leadership.employeefeedback:{feedback.pk}",
        period="answered",
        title=f"Your feedback {feedback.reference} was answered",
        body=f"{feedback.title}\n\nAnswer: {feedback.answer}",
        url=settings.BASE_URL + reverse("leadership:employee-feedback-mine"),
    )
