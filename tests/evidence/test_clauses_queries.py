"""Query counts of the clause pages and endpoints: they do not grow with the number of records.

The management representative reads every kind of record, so every kind that can evidence the
item is queried. 60 rows of each kind put the item page past its first page of 50.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import Clause
from evidence.selectors.clauses import clauses_for_record, evidence_for_clause
from reviews.models.meetings import Decision
from tests.evidence.test_clauses_factories import (  # noqa: F401
    EvidenceTagFactory,
    approved_request,
    catalogue,
    commitment_entry,
    one_of_each_kind,
    signed_meeting,
)
from tests.leadership.factories_resources import ResourceSpendFactory
from tests.reviews.factories import DecisionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("catalogue"),
]

ROWS = [3, 60]
# Kinds that can evidence 5.1.1.e for a role that reads them all: positions, holdings and their
# acknowledgements, commitment entries and resource requests (the items they list), spending,
# budgets and decisions (by rule), and meetings (tagged by hand below).
KINDS_OF_5_1_1_E = 9
# Every kind of the mapping: the catalogue counts them all.
ALL_KINDS = 26


def grow_evidence(rows: int) -> None:
    """`rows` records of each of four kinds evidencing 5.1.1.e, and two meetings tagged to it by hand."""
    meeting = signed_meeting()
    for _ in range(rows):
        commitment_entry(["5.1.1.e"])
        ResourceSpendFactory(request=approved_request())
        DecisionFactory(meeting=meeting, output_category=Decision.OutputCategory.RESOURCE_NEED)
    for _ in range(2):
        EvidenceTagFactory(record=signed_meeting(), clause_id="5.1.1.e")


@pytest.mark.parametrize("rows", ROWS)
def test_item_page_query_count_does_not_grow(client_as, mgmt_rep, rows, django_assert_num_queries):
    grow_evidence(rows)
    client = client_as(mgmt_rep)
    # session, user, permissions (2), the item, its tags in force, one query per kind that can
    # evidence it, the removed tags, the item's history, groups for the role badge, the
    # departments of the filter.
    with django_assert_num_queries(6 + KINDS_OF_5_1_1_E + 4):
        response = client.get(reverse("evidence:clause-detail", args=["5.1.1.e"]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(50, 4 * rows + 2)


@pytest.mark.parametrize("rows", ROWS)
def test_item_page_htmx_table_query_count_does_not_grow(client_as, mgmt_rep, rows, django_assert_num_queries):
    grow_evidence(rows)
    client = client_as(mgmt_rep)
    # session, user, permissions (2), the item, its tags, one query per kind, groups for the role
    # badge (the shell's context processor); the table needs no removed tags and no departments.
    with django_assert_num_queries(6 + KINDS_OF_5_1_1_E + 1):
        response = client.get(reverse("evidence:clause-detail", args=["5.1.1.e"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_catalogue_query_count_does_not_grow(client_as, mgmt_rep, rows, django_assert_num_queries):
    grow_evidence(rows)
    client = client_as(mgmt_rep)
    # session, user, permissions (2), the items, the tags, one aggregate per kind, groups for the
    # role badge, the departments of the filter.
    with django_assert_num_queries(6 + ALL_KINDS + 2):
        assert client.get(reverse("evidence:clause-list")).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_evidence_endpoint_query_count_does_not_grow(api_as, mgmt_rep, rows, django_assert_num_queries):
    grow_evidence(rows)
    client = api_as(mgmt_rep)
    # token and user, permissions (2), the item, its tags, one query per kind.
    with django_assert_num_queries(5 + KINDS_OF_5_1_1_E):
        response = client.get(reverse("clause-evidence", args=["5.1.1.e"]), {"page": 2})
    assert response.status_code == 200
    assert response.data["count"] == 4 * rows + 2


@pytest.mark.parametrize("rows", ROWS)
def test_item_list_endpoint_query_count_does_not_grow(api_as, mgmt_rep, rows, django_assert_num_queries):
    grow_evidence(rows)
    client = api_as(mgmt_rep)
    # token and user, permissions (2), the items for the counts, the tags, one aggregate per kind,
    # the count and the page of items.
    with django_assert_num_queries(5 + ALL_KINDS + 2):
        assert client.get(reverse("clause-list")).status_code == 200


@pytest.mark.parametrize("rows", [3, 60])
def test_tag_list_endpoint_query_count_does_not_grow(api_as, mgmt_rep, rows, django_assert_num_queries):
    for _ in range(rows):
        EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")
    client = api_as(mgmt_rep)
    # token and user, permissions (2), the count and the page of tags (content type and tagger joined).
    with django_assert_num_queries(5):
        assert client.get(reverse("evidence-tag-list")).status_code == 200


@pytest.mark.parametrize("rows", [3, 60])
def test_record_search_query_count_does_not_grow(client_as, mgmt_rep, rows, django_assert_num_queries):
    for _ in range(rows):
        signed_meeting()
    client = client_as(mgmt_rep)
    # session, user, permissions (2), the item, the tags of the item on meetings, the meetings,
    # groups for the role badge.
    with django_assert_num_queries(8):
        response = client.get(reverse("evidence:clause-record-search", args=["5.3.e"]), {"kind": "reviews.meeting"})
    assert response.status_code == 200


def test_no_kind_of_record_adds_queries_per_row(django_assert_num_queries):
    """Titles, links, statuses and departments of every kind come with the kind's one query."""

    def queries_per_item() -> dict[str, int]:
        counts = {}
        for clause_id in Clause.objects.values_list("pk", flat=True):
            with CaptureQueriesContext(connection) as captured:
                evidence_for_clause(clause_id)
            counts[clause_id] = len(captured)
        return counts

    records = one_of_each_kind()
    before = queries_per_item()
    one_of_each_kind(first=False)
    one_of_each_kind(first=False)

    assert queries_per_item() == before
    for record in records.values():
        # the catalogue, one aggregate on the record, its tags
        with django_assert_num_queries(3):
            clauses_for_record(record)
