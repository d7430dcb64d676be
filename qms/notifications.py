"""Sending a notification once: in the app, and by e-mail when the recipient has an address."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from qms.models import Notification


def iso_week(day=None) -> str:
    """The ISO week of `day` (default today, in the organisation's time zone), e.g. "2026-W48"."""
    day = day or timezone.localdate()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def notify_once(
    *, recipient, kind: str, subject_key: str, period: str, title: str, body: str = "", url: str = ""
) -> bool:
    """Record a notification and e-mail it, unless one of this kind, subject and period exists.

    Returns whether it was sent now. Safe to call from tasks that run twice or concurrently:
    the database's unique constraint decides who sends.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, subject_key=subject_key, period=period, title=title, body=body, url=url
            )
    except IntegrityError:
        return False
    if recipient.email:
        try:
            send_mail(
                subject=title,
                message=body + (f"\n\n{url}" if url else ""),
                from_email=None,
                recipient_list=[recipient.email],
            )
        except OSError:
            # Let the task's retry send it: the row must not claim it was done.
            notification.delete()
            raise
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True
