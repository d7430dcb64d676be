import pytest
from django.core import mail
from django.urls import reverse

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


def test_notifications_page_shows_only_mine_and_marks_them_read(client_as, employee, qa):
    notify_once(recipient=employee, kind="k", subject_key="s", period="p", title="Please acknowledge the policy")
    notify_once(recipient=qa, kind="k", subject_key="s", period="p", title="Not for the employee")
    client = client_as(employee)

    assert b">1<" in client.get(reverse("notifications-badge")).content
    page = client.get(reverse("notifications")).content.decode()

    assert "Please acknowledge the policy" in page
    assert "Not for the employee" not in page
    assert Notification.objects.get(recipient=employee).read_at is not None
    assert client.get(reverse("notifications-badge")).content.strip() == b""


def test_notifications_need_a_login(client):
    assert client.get(reverse("notifications")).status_code == 302
