"""Background work of the quality policy: the PDF on publication and the weekly reminders."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied

from leadership.roles import Role
from leadership.services import policy as services
from leadership.tasks.policy import policy_acknowledgement_remind_task, policy_version_render_pdf_task
from qms.models import Notification
from tests.leadership.factories import PersonFactory
from tests.leadership.factories_policy import approved_version, published_version

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 3, 2, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_publishing_renders_the_pdf_and_reminds_everyone_after_commit(
    ceo, mgmt_rep, employee, django_capture_on_commit_callbacks
):
    version = approved_version(author=mgmt_rep, approver=ceo)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.policy_version_publish(actor=mgmt_rep, version=version)

    assert len(callbacks) == 2
    version.refresh_from_db()
    assert version.pdf
    assert len(version.pdf_sha256) == 64
    assert Notification.objects.filter(recipient=employee, kind=services.REMINDER_KIND).exists()


def test_nothing_is_dispatched_when_publishing_is_refused(ceo, mgmt_rep, employee, django_capture_on_commit_callbacks):
    version = approved_version(author=mgmt_rep, approver=ceo)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PermissionDenied):
        services.policy_version_publish(actor=employee, version=version)

    assert callbacks == []


def test_pdf_task_stores_one_file_when_run_twice(ceo, mgmt_rep):
    version = published_version(author=mgmt_rep, approver=ceo)

    assert policy_version_render_pdf_task.delay(version.pk).get() is True
    assert policy_version_render_pdf_task.delay(version.pk).get() is False


@time_machine.travel(MONDAY, tick=False)
def test_reminder_goes_once_a_week_to_those_who_have_not_acknowledged(ceo, mgmt_rep, employee, qa):
    version = published_version(author=mgmt_rep, approver=ceo)
    services.policy_acknowledgement_record(actor=qa, version=version)
    mail.outbox.clear()

    first = policy_acknowledgement_remind_task.delay().get()
    second = policy_acknowledgement_remind_task.delay().get()

    # ceo, mgmt_rep and employee have not acknowledged; qa has.
    assert (first, second) == (3, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in (ceo, mgmt_rep, employee))
    assert len([m for m in mail.outbox if m.to == [employee.email]]) == 1
    note = Notification.objects.get(recipient=employee)
    assert (note.kind, note.subject_key, note.period) == (
        "policy-acknowledgement-reminder",
        f"leadership.policyversion:{version.pk}",
        "2026-W10",
    )
    assert "version 1" in note.title
    assert note.url.endswith("/leadership/policy/")

    with time_machine.travel(MONDAY + datetime.timedelta(days=7), tick=False):
        assert policy_acknowledgement_remind_task.delay().get() == 3


@time_machine.travel(MONDAY, tick=False)
def test_reminders_skip_inactive_accounts_and_external_auditors(ceo, mgmt_rep, auditor):
    version = published_version(author=mgmt_rep, approver=ceo)
    for user in (ceo, mgmt_rep):
        services.policy_acknowledgement_record(actor=user, version=version)
    gone = PersonFactory(roles=[Role.EMPLOYEE])
    gone.user.is_active = False
    gone.user.save()

    assert services.policy_acknowledgement_remind() == 0
    assert not Notification.objects.exists()


def test_no_reminder_before_a_version_is_published(employee):
    assert services.policy_acknowledgement_remind() == 0
