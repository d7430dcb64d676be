"""An item's evidence filtered by period and department, paged, and counted per item."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from evidence.mapping import kind_for_key
from evidence.selectors.clauses import (
    clause_catalogue,
    clause_coverage,
    department_ids_within,
    evidence_counts,
    evidence_for_clause,
    last_twelve_months,
    record_search,
)
from leadership.models.positions import Position
from tests.evidence.test_clauses_factories import (  # noqa: F401
    EvidenceTagFactory,
    approved_request,
    catalogue,
    commitment_entry,
    signed_meeting,
)
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_policy import PolicyVersionFactory
from tests.leadership.factories_positions import PositionFactory
from tests.leadership.factories_resources import QualityBudgetFactory
from tests.objectives.factories_objectives import ObjectiveFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

TODAY = datetime.date(2026, 11, 20)


def keys(page) -> list[tuple[str, int]]:
    return [(row.kind, row.object_id) for row in page.rows]


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (datetime.date(2026, 11, 20), datetime.date(2025, 11, 21)),
        (datetime.date(2028, 2, 29), datetime.date(2027, 3, 1)),
        (datetime.date(2026, 1, 1), datetime.date(2025, 1, 2)),
    ],
)
def test_the_default_period_is_the_twelve_months_up_to_today(today, start):
    assert last_twelve_months(today) == (start, today)


def test_the_period_includes_both_ends_as_local_dates():
    """A meeting held at 23:30 London time on the last day counts on that day, not the next UTC one."""
    late = signed_meeting(held_at=datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC))  # 23:30 BST
    early = signed_meeting(held_at=datetime.datetime(2026, 5, 31, 23, 30, tzinfo=datetime.UTC))  # 00:30 1 June
    signed_meeting(held_at=datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC))

    page = evidence_for_clause("5.1.1.c", period_start=datetime.date(2026, 6, 1), period_end=datetime.date(2026, 6, 30))

    assert keys(page) == [("reviews.meeting", late.pk), ("reviews.meeting", early.pk)]
    assert page.rows[0].date == datetime.date(2026, 6, 30)
    assert page.rows[0].at.hour == 23


def test_date_only_records_filter_by_their_day():
    inside = commitment_entry(["5.1.1.e"], date=datetime.date(2026, 3, 31))
    commitment_entry(["5.1.1.e"], date=datetime.date(2026, 4, 1))

    page = evidence_for_clause("5.1.1.e", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 3, 31))

    assert keys(page) == [("leadership.commitmententry", inside.pk)]


def test_a_department_includes_its_sub_departments_and_leaves_out_company_wide_records():
    production = DepartmentFactory(name="Production")
    machining = DepartmentFactory(name="CNC machining", parent=production)
    quality = DepartmentFactory(name="Quality")
    in_machining = approved_request(requester=PersonFactory(department=machining))
    in_production = approved_request(requester=PersonFactory(department=production))
    approved_request(requester=PersonFactory(department=quality))
    QualityBudgetFactory()  # company-wide: no department

    page = evidence_for_clause("5.1.1.e", department=production)

    assert set(keys(page)) == {
        ("leadership.resourcerequest", in_machining.pk),
        ("leadership.resourcerequest", in_production.pk),
    }
    assert sorted(department_ids_within(production)) == sorted([production.pk, machining.pk])
    assert evidence_counts(department=production)["5.1.1.e"] == 2
    assert evidence_counts()["5.1.1.e"] == 4


def test_rows_show_the_department_and_the_record():
    machining = DepartmentFactory(name="CNC machining")
    request = approved_request(requester=PersonFactory(department=machining), title="Second CMM for line 3")

    (row,) = evidence_for_clause("9.3.2.d").rows

    assert row.kind_label == "Resource request"
    assert row.title == f"{request.reference}: Second CMM for line 3"
    assert row.department == "CNC machining"
    assert row.department_id == machining.pk
    assert row.status == "Approved"
    assert row.url == request.get_absolute_url()
    assert row.mapped is True


def test_pages_follow_each_other_newest_first_and_count_every_record():
    entries = [commitment_entry(["5.1.1.e"], date=TODAY - datetime.timedelta(days=n)) for n in range(7)]
    requests = [approved_request(decided_at=timezone.now() - datetime.timedelta(days=n, hours=1)) for n in range(5)]

    everything = evidence_for_clause("5.1.1.e", limit=50)
    first = evidence_for_clause("5.1.1.e", limit=4)
    second = evidence_for_clause("5.1.1.e", offset=4, limit=4)
    third = evidence_for_clause("5.1.1.e", offset=8, limit=4)

    assert everything.total == first.total == third.total == 12
    assert keys(first) + keys(second) + keys(third) == keys(everything)
    dates = [row.date for row in everything.rows]
    assert dates == sorted(dates, reverse=True)
    assert {(kind.key, n) for kind, n in everything.by_kind} == {
        ("leadership.commitmententry", len(entries)),
        ("leadership.resourcerequest", len(requests)),
    }


def test_only_the_kinds_asked_for_are_searched():
    commitment_entry(["5.1.1.e"])
    request = approved_request()

    page = evidence_for_clause("5.1.1.e", kinds=(kind_for_key("leadership.resourcerequest"),))

    assert keys(page) == [("leadership.resourcerequest", request.pk)]
    assert evidence_counts(kinds=(kind_for_key("leadership.resourcerequest"),))["5.1.1.e"] == 1


def test_tagged_records_count_in_their_period_like_mapped_ones():
    old = signed_meeting(held_at=timezone.now() - datetime.timedelta(days=500))
    recent = signed_meeting()
    EvidenceTagFactory(record=old, clause_id="5.3.e")
    EvidenceTagFactory(record=recent, clause_id="5.3.e")

    start, end = last_twelve_months()

    assert keys(evidence_for_clause("5.3.e", period_start=start, period_end=end)) == [("reviews.meeting", recent.pk)]
    assert evidence_counts(period_start=start, period_end=end)["5.3.e"] == 1
    assert evidence_counts()["5.3.e"] == 2


def test_the_catalogue_counts_equal_the_totals_of_the_item_pages():
    commitment_entry(["5.1.1.e", "5.1.1.g"])
    approved_request()
    signed_meeting()
    EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")

    start, end = last_twelve_months()
    groups = clause_catalogue(period_start=start, period_end=end)

    assert [group.group for group in groups] == ["5.1.1", "5.1.2", "5.2", "5.3", "6.2", "9.3"]
    for group in groups:
        for clause in group.items:
            page = evidence_for_clause(clause.pk, period_start=start, period_end=end, limit=1)
            assert clause.evidence_count == page.total, clause.pk
    assert next(c for g in groups for c in g.items if c.pk == "5.1.1.e").evidence_count == 2


def test_coverage_names_the_items_without_evidence():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)):
        commitment_entry(["5.1.1.a"])
        coverage = clause_coverage()

    assert coverage["covered"] == 1
    assert coverage["total"] == 53
    assert "5.1.1.a" not in [c.pk for c in coverage["missing"]]
    assert (coverage["period_start"], coverage["period_end"]) == (datetime.date(2025, 11, 21), TODAY)


def test_the_record_search_leaves_out_records_that_already_evidence_the_item():
    linked = signed_meeting(title="Monthly quality meeting")
    tagged = signed_meeting(title="Monthly quality meeting, tagged")
    candidate = signed_meeting(title="Monthly quality meeting, candidate")
    signed_meeting(title="Shift handover")
    EvidenceTagFactory(record=tagged, clause_id="5.3.e")
    meetings = kind_for_key("reviews.meeting")

    assert [r.object_id for r in record_search(meetings, "monthly quality", clause_id="5.3.e")] == [
        candidate.pk,
        linked.pk,
    ]
    assert record_search(meetings, "monthly quality", clause_id="5.1.1.c") == []
    assert linked.pk in [r.object_id for r in record_search(meetings, str(linked.pk))]


def test_a_policy_in_force_counts_in_every_period_until_it_is_superseded():
    """A version approved years ago and still published is evidence today; one superseded before is not."""
    long_ago = timezone.now() - datetime.timedelta(days=3 * 365)
    in_force = PolicyVersionFactory(published=True)
    in_force.approval_signature.signed_at = long_ago
    in_force.approval_signature.save()
    superseded = PolicyVersionFactory(superseded=True, superseded_at=long_ago + datetime.timedelta(days=300))
    superseded.approval_signature.signed_at = long_ago
    superseded.approval_signature.save()
    start, end = last_twelve_months()

    page = evidence_for_clause("5.2.2.a", period_start=start, period_end=end)

    assert keys(page) == [("leadership.policyversion", in_force.pk)]
    assert page.rows[0].in_force
    assert page.rows[0].date == timezone.localdate(long_ago)
    older = evidence_for_clause("5.2.2.a", period_start=timezone.localdate(long_ago), period_end=end)
    assert {key for _kind, key in keys(older)} == {in_force.pk, superseded.pk}
    assert evidence_counts(period_start=start, period_end=end)["5.2.2.a"] == 1


def test_an_objective_counts_while_active_and_until_it_was_closed():
    long_ago = timezone.now() - datetime.timedelta(days=800)
    active = ObjectiveFactory(activated_at=long_ago)
    closed_in_period = ObjectiveFactory(
        status="achieved", activated_at=long_ago, closed_at=timezone.now() - datetime.timedelta(days=30)
    )
    ObjectiveFactory(status="missed", activated_at=long_ago, closed_at=long_ago + datetime.timedelta(days=200))
    start, end = last_twelve_months()

    rows = evidence_for_clause("6.2.1.f", period_start=start, period_end=end).rows

    assert [(r.object_id, r.in_force) for r in rows] == [(closed_in_period.pk, False), (active.pk, True)]
    assert rows[0].until == timezone.localdate() - datetime.timedelta(days=30)


def test_a_deactivated_position_counts_until_its_deactivation():
    position = PositionFactory(requirement_ids=["5.3.a"])
    Position.objects.filter(pk=position.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=900),
        is_active=False,
        updated_at=timezone.now() - datetime.timedelta(days=500),
    )
    start, end = last_twelve_months()

    assert evidence_for_clause("5.3.a", period_start=start, period_end=end).rows == []
    (row,) = evidence_for_clause("5.3.a", period_start=end - datetime.timedelta(days=700), period_end=end).rows
    assert row.until == timezone.localdate(timezone.now() - datetime.timedelta(days=500))
