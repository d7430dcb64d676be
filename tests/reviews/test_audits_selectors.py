"""The audit results summary for management review (9.3.2.c.6, c.4): what is in the period, counts, shape."""

import datetime
import json

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import timezone

from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.selectors.audits import audit_figures, audit_findings_summary, internal_audit_list
from reviews.services.audits import audit_finding_close
from tests.leadership.factories import PersonFactory
from tests.reviews.factories_audits import (
    CompletedAuditFactory,
    FindingActionFactory,
    ScopedAuditFactory,
    finding_in,
)

pytestmark = pytest.mark.django_db

K = AuditFinding.Kind
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _closed_on(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _summary() -> dict:
    return audit_findings_summary(period_start=START, period_end=END)


def test_the_period_holds_audits_completed_in_it_and_their_findings_by_kind():
    audit = CompletedAuditFactory(
        title="Leadership",
        planned_date=datetime.date(2026, 2, 1),
        lead_auditor=PersonFactory(user__first_name="Robert"),
    )
    minor = finding_in(audit, kind=K.MINOR, number=1)
    finding_in(audit, kind=K.MINOR, number=2, closed_at=_closed_on(datetime.date(2026, 3, 3)))
    finding_in(audit, kind=K.OPPORTUNITY, number=3)
    before = CompletedAuditFactory(planned_date=datetime.date(2025, 11, 1))
    finding_in(before, kind=K.MAJOR, closed_at=_closed_on(datetime.date(2025, 12, 1)))
    CompletedAuditFactory(planned_date=datetime.date(2026, 4, 2))  # after the period

    data = _summary()

    assert [a["reference"] for a in data["audits"]] == [audit.reference]
    assert data["audits"][0]["findings"] == 3
    assert data["audits"][0]["audit_date"] == "2026-02-01"
    assert data["audits"][0]["lead_auditor"].startswith("Robert")
    assert {row["kind"]: (row["total"], row["open"], row["closed"]) for row in data["by_kind"]} == {
        "major": (0, 0, 0),
        "minor": (2, 1, 1),
        "observation": (0, 0, 0),
        "opportunity": (1, 1, 0),
    }
    assert data["totals"] == {
        "total": 3,
        "open": 2,
        "closed": 1,
        "nonconformities": 2,
        "open_nonconformities": 1,
        "carried_over_open": 0,
    }
    # Closed 30 days after the audit.
    assert data["average_days_to_close"] == 30.0
    assert data["findings"][0]["label"] == minor.label
    assert data["findings"][1]["closed_on"] == "2026-03-03"


def test_findings_of_earlier_audits_open_at_the_period_start_are_carried_over():
    earlier = CompletedAuditFactory(planned_date=datetime.date(2025, 10, 1))
    still_open = finding_in(earlier, kind=K.MAJOR, number=1)
    closed_in_period = finding_in(earlier, kind=K.MINOR, number=2, closed_at=_closed_on(datetime.date(2026, 2, 10)))
    finding_in(earlier, kind=K.MINOR, number=3, closed_at=_closed_on(datetime.date(2025, 12, 20)))

    data = _summary()

    carried = [(f["label"], f["is_open"], f["carried_over"]) for f in data["findings"]]
    assert carried == [(still_open.label, True, True), (closed_in_period.label, False, True)]
    assert data["totals"]["carried_over_open"] == 1
    assert data["totals"]["total"] == 0
    assert data["average_days_to_close"] is None


def test_each_finding_lists_its_actions_and_their_state():
    finding = finding_in(CompletedAuditFactory(planned_date=datetime.date(2026, 2, 1)), kind=K.MINOR)
    late = FindingActionFactory(audit_finding=finding, due_date=datetime.date(2026, 4, 1))
    FindingActionFactory(audit_finding=finding, done=True)
    FindingActionFactory(audit_finding=finding, verified=True)

    row = _summary()["findings"][0]

    assert [a["status"] for a in row["actions"]] == ["open", "done", "verified"]
    assert row["actions"][0] == {
        "id": late.pk,
        "reference": late.reference,
        "title": late.title,
        "owner": late.owner.full_name,
        "due_date": "2026-04-01",
        "status": "open",
        "status_label": "Open",
        "is_open": True,
        "overdue": True,
    }
    assert (row["actions_open"], row["actions_awaiting_verification"], row["actions_verified"]) == (1, 1, 1)
    assert row["actions_overdue"] == 1


def test_the_programme_counts_audits_planned_in_the_period_by_outcome():
    CompletedAuditFactory(planned_date=datetime.date(2026, 1, 20))
    ScopedAuditFactory(planned_date=datetime.date(2026, 2, 20))
    ScopedAuditFactory(planned_date=datetime.date(2026, 3, 20), status=InternalAudit.Status.CANCELLED)
    ScopedAuditFactory(planned_date=datetime.date(2026, 6, 1))

    assert _summary()["programme"] == {"completed": 1, "cancelled": 1, "planned_not_done": 1}


def test_the_summary_is_plain_json_a_review_can_freeze():
    audit = CompletedAuditFactory(planned_date=datetime.date(2026, 2, 1))
    FindingActionFactory(audit_finding=finding_in(audit), verified=True)

    data = _summary()

    assert json.loads(json.dumps(data)) == data


def test_a_reversed_period_is_a_programming_error():
    with pytest.raises(ValueError, match="period_end is before period_start"):
        audit_findings_summary(period_start=END, period_end=START)


@pytest.mark.parametrize("audits", [1, 12])
def test_the_summary_runs_a_fixed_number_of_queries(audits, django_assert_num_queries):
    for i in range(audits):
        audit = CompletedAuditFactory(planned_date=START + datetime.timedelta(days=i))
        finding = finding_in(audit, number=1)
        finding_in(audit, number=2, kind=K.OBSERVATION)
        FindingActionFactory(audit_finding=finding, status=Action.Status.IN_PROGRESS)
    # the programme's counts, the audits (lead auditor joined) and their departments, the findings
    # (audit and department joined) and their actions (owner joined).
    with django_assert_num_queries(5):
        _summary()


def test_the_audit_list_counts_findings_open_and_nonconformities():
    audit = CompletedAuditFactory()
    finding_in(audit, kind=K.MAJOR, number=1)
    finding_in(audit, kind=K.MINOR, number=2, closed_at=timezone.now())
    finding_in(audit, kind=K.OPPORTUNITY, number=3)

    row = internal_audit_list().get(pk=audit.pk)

    assert (row.findings_count, row.open_findings_count) == (3, 2)
    assert (row.nonconformities_count, row.open_nonconformities_count) == (2, 1)


def test_dashboard_figures_count_open_findings_gaps_and_the_next_audit(django_assert_num_queries):
    audit = CompletedAuditFactory()
    finding_in(audit, kind=K.MAJOR, number=1)  # a nonconformity with no action yet
    followed = finding_in(audit, kind=K.MINOR, number=2)
    FindingActionFactory(audit_finding=followed, due_date=datetime.date(2026, 4, 1))
    finding_in(audit, kind=K.OBSERVATION, number=3)
    finding_in(audit, kind=K.MINOR, number=4, closed_at=timezone.now())
    ScopedAuditFactory(planned_date=datetime.date(2026, 7, 1))
    soonest = ScopedAuditFactory(planned_date=datetime.date(2026, 5, 1), title="Purchasing")

    with django_assert_num_queries(3):
        data = audit_figures()

    assert (data["open_findings"], data["open_nonconformities"]) == (3, 2)
    assert data["nonconformities_without_action"] == 1
    assert data["overdue_actions"] == 1
    assert data["next_audit"]["reference"] == soonest.reference


def test_the_dashboard_panel_renders_its_figures():
    data = {
        "open_findings": 3,
        "open_nonconformities": 2,
        "nonconformities_without_action": 1,
        "overdue_actions": 0,
        "next_audit": None,
    }
    html = render_to_string("reviews/audits/partials/_dashboard.html", {"data": data})
    assert '2</div><div class="label">open nonconformities, 1 without action' in html
    assert "no audit planned" in html


def test_each_finding_names_who_closed_it(qa):
    finding = finding_in(CompletedAuditFactory(planned_date=datetime.date(2026, 2, 1)), kind=K.OBSERVATION)
    audit_finding_close(actor=qa, finding=finding)

    row = _summary()["findings"][0]

    assert (row["is_open"], row["closed_on"], row["closed_by"]) == (False, "2026-04-15", qa.get_full_name())
