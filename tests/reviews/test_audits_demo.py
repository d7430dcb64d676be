"""The demo internal audits: one completed with four findings in every state of follow-up, one planned."""

import datetime
import time

import pytest
from django.utils import timezone

from leadership.demo import people
from reviews.demo import audits
from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit

pytestmark = pytest.mark.django_db


def test_demo_audits_cover_every_state_of_follow_up_and_seed_twice_without_adding_anything():
    people.seed_organisation()
    staff = people.people_by_username()
    today = timezone.localdate()

    started = time.monotonic()
    created = audits.seed(staff)
    elapsed = time.monotonic() - started

    assert created == {"internal_audits": 2, "audit_findings": 4, "audit_actions": 3}
    assert elapsed < 5
    done = InternalAudit.objects.get(status=InternalAudit.Status.COMPLETED)
    assert done.lead_auditor == staff["robert"]
    # Robert works in the Executive Office, which is not audited: he is independent (9.2.2.c).
    assert staff["robert"].department.code not in set(done.departments.values_list("code", flat=True))
    assert set(done.departments.values_list("code", flat=True)) == {"PROD", "SALES"}
    assert 110 <= (today - done.audit_date).days <= 130
    findings = {f.number: f for f in done.findings.prefetch_related("actions")}
    assert [findings[n].kind for n in (1, 2, 3, 4)] == [
        AuditFinding.Kind.MINOR,
        AuditFinding.Kind.MINOR,
        AuditFinding.Kind.OBSERVATION,
        AuditFinding.Kind.OPPORTUNITY,
    ]
    closed_action = findings[1].actions.get()
    assert closed_action.status == Action.Status.VERIFIED
    assert closed_action.verified_by == staff["priya"]
    assert findings[1].closed_at is not None
    due_soon = findings[2].actions.get()
    assert due_soon.status == Action.Status.OPEN
    assert today < due_soon.due_date <= today + datetime.timedelta(days=14)
    assert not findings[3].actions.exists()
    assert findings[4].actions.get().status == Action.Status.IN_PROGRESS
    assert [f.number for f in findings.values() if f.closed_at is None] == [2, 3, 4]
    planned = InternalAudit.objects.get(status=InternalAudit.Status.PLANNED)
    assert planned.planned_date > today
    assert planned.lead_auditor.department.code not in set(planned.departments.values_list("code", flat=True))

    assert audits.seed(staff) == {"internal_audits": 0, "audit_findings": 0, "audit_actions": 0}
    assert InternalAudit.objects.count() == 2


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 2, 14), datetime.date(2026, 4, 21)),
        (datetime.date(2026, 11, 30), datetime.date(2027, 1, 21)),
        (datetime.date(2026, 9, 30), datetime.date(2026, 10, 21)),
    ],
)
def test_the_planned_audit_falls_three_weeks_into_next_quarter(today, expected):
    assert audits._next_quarter_date(today) == expected
