"""The admin of internal audits: the history trail, and completed audits and closed findings read-only."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.reviews.factories_audits import CompletedAuditFactory, ScopedAuditFactory, finding_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "x"))
    return client


def test_lists_and_history_pages_open(admin_client):
    audit = CompletedAuditFactory()
    finding = finding_in(audit)

    for url in (
        reverse("admin:reviews_internalaudit_changelist"),
        reverse("admin:reviews_auditfinding_changelist"),
        reverse("admin:reviews_internalaudit_history", args=[audit.pk]),
        reverse("admin:reviews_auditfinding_history", args=[finding.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_a_planned_audit_is_editable_a_completed_one_is_not(admin_client):
    planned, done = ScopedAuditFactory(), CompletedAuditFactory()

    planned_page = admin_client.get(reverse("admin:reviews_internalaudit_change", args=[planned.pk])).content.decode()
    done_page = admin_client.get(reverse("admin:reviews_internalaudit_change", args=[done.pk])).content.decode()

    assert 'name="title"' in planned_page
    assert 'name="title"' not in done_page
    assert 'name="departments"' not in done_page


def test_a_closed_finding_is_read_only_and_nothing_is_added_or_deleted_there(admin_client):
    finding = finding_in(CompletedAuditFactory(), closed_at=timezone.now())

    page = admin_client.get(reverse("admin:reviews_auditfinding_change", args=[finding.pk])).content.decode()

    assert 'name="description"' not in page
    assert admin_client.get(reverse("admin:reviews_internalaudit_add")).status_code == 403
    assert admin_client.get(reverse("admin:reviews_auditfinding_delete", args=[finding.pk])).status_code == 403
