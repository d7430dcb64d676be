import pytest
from django.core import mail
from django.urls import reverse

from qms.models import Notification
from qms.notifications import Message, notify_many, notify_once

pytestmark = pytest.mark.django_db


def test_notification_is_sent_once_per_kind_subject_and_period(employee):
    args = {"recipient": employee, "kind": "reminder", "subject_key": "x:1", "title": "Please read"}

    assert notify_once(period="2026-W48", **args) is True
    assert notify_once(period="2026-W48", **args) is False
    assert notify_once(period="2026-W49", **args) is True

    assert Notification.objects.filter(recipient=employee).count() == 2
    assert len(mail.outbox) == 2


def test_failed_email_leaves_no_notification_so_a_retry_sends_it(employee, monkeypatch):
    from django.core.mail import EmailMessage

    def down(self, *args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(EmailMessage, "send", down)
    with pytest.raises(ConnectionRefusedError):
        notify_once(recipient=employee, kind="k", subject_key="s", period="p", title="t")
    assert not Notification.objects.exists()


def test_many_notifications_are_sent_once_each_and_duplicates_collapse(employee, qa):
    notify_once(recipient=qa, kind="reminder", subject_key="x:1", period="2026-W48", title="Sent before")
    messages = [
        Message(employee, "reminder", "x:1", "2026-W48", "Please read"),
        Message(employee, "reminder", "x:1", "2026-W48", "Please read"),  # the same message twice
        Message(qa, "reminder", "x:1", "2026-W48", "Sent before"),
        Message(qa, "reminder", "x:2", "2026-W48", "Another record", body="Details", url="https://q.example/2"),
    ]
    mail.outbox.clear()

    sent = notify_many(messages)

    assert [(m.recipient, m.subject_key) for m in sent] == [(employee, "x:1"), (qa, "x:2")]
    assert sorted(message.subject for message in mail.outbox) == ["Another record", "Please read"]
    assert "https://q.example/2" in next(m.body for m in mail.outbox if m.subject == "Another record")
    assert Notification.objects.filter(recipient=employee).get().emailed_at is not None
    assert notify_many(messages) == []
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 2


def test_many_notifications_skip_the_email_of_a_recipient_without_an_address(employee):
    employee.email = ""
    employee.save()
    sent = notify_many([Message(employee, "reminder", "x:1", "p", "In the app only")])
    assert len(sent) == 1
    assert not mail.outbox
    assert Notification.objects.get().emailed_at is None


def test_a_mail_server_failure_midway_keeps_what_was_mailed_and_a_retry_sends_the_rest(employee, qa, monkeypatch):
    from django.core.mail import EmailMessage

    real_send = EmailMessage.send

    def fail_for_qa(self, *args, **kwargs):
        if self.to == [qa.email]:
            raise ConnectionRefusedError
        return real_send(self, *args, **kwargs)

    messages = [Message(employee, "k", "s", "p", "For the employee"), Message(qa, "k", "s", "p", "For QA")]
    monkeypatch.setattr(EmailMessage, "send", fail_for_qa)
    with pytest.raises(ConnectionRefusedError):
        notify_many(messages)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [employee.pk]
    assert [m.subject for m in mail.outbox] == ["For the employee"]

    monkeypatch.setattr(EmailMessage, "send", real_send)
    assert [m.recipient for m in notify_many(messages)] == [qa]
    assert sorted(m.subject for m in mail.outbox) == ["For QA", "For the employee"]


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
