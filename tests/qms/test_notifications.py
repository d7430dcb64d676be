import pytest
from django.core import mail

from qms.models import Notification
from qms.notifications import notify_once

pytestmark = pytest.mark.django_db


def test_notification_is_sent_once_per_kind_subject_and_period(employee):
    args = {"recipient": employee, "kind": "reminder", "subject_key": "x:1", "title": "Please read"}

    assert notify_once(period="2026-W48", **args) is True
    assert notify_once(period="2026-W48", **args) is False
    assert notify_once(period="2026-W49", **args) is True

    assert Notification.objects.filter(recipient=employee).count() == 2
    assert len(mail.outbox) == 2


def test_failed_email_leaves_no_notification_so_a_retry_sends_it(employee, monkeypatch):
    import qms.notifications as notifications

    def down(**kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(notifications, "send_mail", down)
    with pytest.raises(ConnectionRefusedError):
        notify_once(recipient=employee, kind="k", subject_key="s", period="p", title="t")
    assert not Notification.objects.exists()
