"""Every list page and list endpoint runs the same number of queries on a small and a 10x larger data set.

The cases are found from the URL conf: every HTML URL name ending in `-list`, every API router list
route (`<basename>-list`) and the named dashboards. `test_every_list_has_a_case` fails, naming the URL,
when a new list appears without a case here. Each case adds `SMALL` rows of what the list shows,
requests the page once to warm the per-process caches (content types, the role groups), counts the
queries of a second request, adds rows up to `LARGE`, and counts again: the counts must be equal.
The reader is top management (`ceo`) or the management representative, never a superuser, whose
permission short-cuts would hide the permission queries of real users.
"""

import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import scale
from tests.evidence.test_clauses_factories import catalogue  # noqa: F401

pytestmark = pytest.mark.django_db

SMALL = 3
LARGE = 30  # 10x SMALL


@dataclass(frozen=True)
class Case:
    grow: scale.Grower
    persona: str = "ceo"
    kwargs: tuple = ()
    catalogue: bool = False
    fixed: bool = False  # the page's size does not depend on the rows grown (say why where set)
    before_request: scale.Grower | None = None  # called with 1 before every counted request


# HTML list pages (`<namespace>:<name>-list`) ---------------------------------------------------------
PAGES = {
    "leadership:department-list": Case(scale.grow_departments),
    "leadership:person-list": Case(scale.grow_people),
    "leadership:policy-version-list": Case(scale.grow_policy_versions),
    "leadership:policy-share-list": Case(scale.grow_policy_share_links, "mgmt_rep"),
    "leadership:position-list": Case(scale.grow_positions),
    "leadership:appointment-list": Case(scale.grow_appointments),
    "leadership:commitment-list": Case(scale.grow_commitment),
    "leadership:resource-request-list": Case(scale.grow_resource_requests),
    "leadership:customer-feedback-list": Case(scale.grow_customer_feedback),
    "leadership:customer-requirement-list": Case(scale.grow_customer_requirements),
    # One response target per severity, always: the page is fixed in size; feedback grows beside it.
    "leadership:response-target-list": Case(scale.grow_customer_feedback, fixed=True),
    "leadership:order-volume-list": Case(scale.grow_order_volumes),
    "leadership:employee-feedback-list": Case(scale.grow_employee_feedback, "mgmt_rep"),
    "objectives:target-revision-list": Case(scale.grow_target_revisions),
    "objectives:objective-list": Case(scale.grow_objective_dashboard),
    "objectives:measurement-list": Case(scale.grow_measurements),
    "objectives:risk-list": Case(scale.grow_risks),
    "reviews:meeting-type-list": Case(scale.grow_meeting_types),
    "reviews:meeting-list": Case(scale.grow_meetings),
    "reviews:management-review-list": Case(scale.grow_management_reviews),
    "reviews:action-list": Case(scale.grow_actions),
    "reviews:audit-list": Case(scale.grow_audits),
    "reviews:finding-list": Case(scale.grow_findings),
    "evidence:clause-list": Case(scale.grow_evidence_tags, "mgmt_rep", catalogue=True),
    "evidence:pack-list": Case(scale.grow_evidence_packs, "mgmt_rep"),
    "evidence:auditor-access-list": Case(scale.grow_auditor_access, "mgmt_rep"),
    "evidence:weekly-report-list": Case(scale.grow_weekly_reports, "mgmt_rep"),
}

# Dashboards and "mine" pages: lists by another name --------------------------------------------------
DASHBOARDS = {
    # The panels show counts, rates and the first few rows of each list: the page does not lengthen.
    "home": Case(scale.grow_everything, fixed=True),
    # Opening the page marks the unread ones read (one UPDATE): each request finds one unread.
    "notifications": Case(scale.grow_notifications, before_request=scale.one_unread_notification),
    "evidence:readiness": Case(scale.grow_everything, "mgmt_rep", catalogue=True),
    "evidence:download-log": Case(scale.grow_download_log, "mgmt_rep"),
    "reviews:my-actions": Case(scale.grow_actions),
    "reviews:my-meetings": Case(scale.grow_meetings),
    "reviews:attendance": Case(scale.grow_attendance),
    "objectives:my-objectives": Case(scale.grow_objectives),
    "objectives:objective-departments": Case(scale.grow_objective_dashboard),
    "objectives:risk-heat-map": Case(scale.grow_risks),
    "leadership:my-positions": Case(scale.grow_positions),
    "leadership:responsibility-matrix": Case(scale.grow_positions),
}

# API list routes (`<basename>-list`) and the collection actions that list ------------------------------
ENDPOINTS = {
    "department-list": Case(scale.grow_departments),
    "person-list": Case(scale.grow_people),
    "policyversion-list": Case(scale.grow_policy_versions),
    "policyacknowledgement-list": Case(scale.grow_policy_acknowledgements),
    "policysharelink-list": Case(scale.grow_policy_share_links, "mgmt_rep"),
    "position-list": Case(scale.grow_positions),
    "position-holder-list": Case(scale.grow_positions),
    "management-representative-appointment-list": Case(scale.grow_appointments),
    "commitmententry-list": Case(scale.grow_commitment),
    "resourcerequest-list": Case(scale.grow_resource_requests),
    "qualitybudget-list": Case(scale.grow_quality_budgets),
    "customer-feedback-list": Case(scale.grow_customer_feedback),
    "customer-requirement-list": Case(scale.grow_customer_requirements),
    "response-target-list": Case(scale.grow_customer_feedback, fixed=True),
    "order-volume-list": Case(scale.grow_order_volumes),
    "employeefeedback-list": Case(scale.grow_employee_feedback, "mgmt_rep"),
    "objective-list": Case(scale.grow_objectives),
    "actionplanstep-list": Case(scale.grow_plan_steps),
    "targetrevision-list": Case(scale.grow_target_revisions),
    "measurement-list": Case(scale.grow_measurements),
    "risk-list": Case(scale.grow_risks),
    "meeting-type-list": Case(scale.grow_meeting_types),
    "meeting-list": Case(scale.grow_meetings),
    "attendance-list": Case(scale.grow_attendance),
    "decision-list": Case(scale.grow_decisions),
    "management-review-list": Case(scale.grow_management_reviews),
    "action-list": Case(scale.grow_actions),
    "internal-audit-list": Case(scale.grow_audits),
    "audit-finding-list": Case(scale.grow_findings),
    "clause-list": Case(scale.grow_evidence_tags, "mgmt_rep", catalogue=True),
    "evidence-tag-list": Case(scale.grow_evidence_tags, "mgmt_rep", catalogue=True),
    "evidence-pack-list": Case(scale.grow_evidence_packs, "mgmt_rep"),
    "download-log-list": Case(scale.grow_download_log, "mgmt_rep"),
    "auditor-access-list": Case(scale.grow_auditor_access, "mgmt_rep"),
    "weekly-report-list": Case(scale.grow_weekly_reports, "mgmt_rep"),
    # Collection actions.
    "action-mine": Case(scale.grow_actions),
    "action-awaiting-verification": Case(scale.grow_actions),
    "meeting-mine": Case(scale.grow_meetings),
    "meeting-attendance": Case(scale.grow_attendance),
}


def _url_names() -> tuple[set[str], set[str]]:
    """(HTML list names with namespace, API list route names) from the URL conf."""
    pages, endpoints = set(), set()

    def walk(resolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith("-list"):
                if prefix.startswith("admin/"):
                    continue
                if prefix.startswith("api/"):
                    endpoints.add(pattern.name)
                else:
                    pages.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), "", "")
    return pages, endpoints


def test_every_list_has_a_case():
    """A new `-list` URL (page or API route) without a query-count case here fails, naming the URL."""
    pages, endpoints = _url_names()
    missing = sorted(pages - set(PAGES)) + sorted(endpoints - set(ENDPOINTS))
    assert not missing, f"list URLs without a query-count case in tests/test_query_counts.py: {missing}"
    stale = sorted(set(PAGES) - pages) + sorted({n for n in ENDPOINTS if n.endswith("-list")} - endpoints)
    assert not stale, f"cases for list URLs that no longer exist: {stale}"


def _shape(sql: str) -> str:
    """The query with its literals replaced, so that the same query for another row compares equal."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"IN \([?, ]+\)", "IN (...)", sql)


def _explain(small: list[dict], large: list[dict]) -> str:
    extra = Counter(_shape(q["sql"]) for q in large) - Counter(_shape(q["sql"]) for q in small)
    missing = Counter(_shape(q["sql"]) for q in small) - Counter(_shape(q["sql"]) for q in large)
    lines = [f"{len(small)} queries with {SMALL} rows, {len(large)} with {LARGE}."]
    lines += [f"  +{n}x {sql[:400]}" for sql, n in extra.most_common()]
    lines += [f"  -{n}x {sql[:400]}" for sql, n in missing.most_common()]
    return "\n".join(lines)


def _check(request, name: str, case: Case, client) -> None:
    user = request.getfixturevalue(case.persona)
    if case.catalogue:
        request.getfixturevalue("catalogue")
    client = client(user)
    url = reverse(name, kwargs=dict(case.kwargs))

    def count() -> tuple[list[dict], int]:
        if case.before_request:
            case.before_request(1, user.person)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, follow=True)
        assert response.status_code == 200, f"{name} as {case.persona}: {response.status_code}"
        return list(ctx.captured_queries), len(response.content)

    case.grow(SMALL, user.person)
    count()  # warm the caches of this process
    small, small_size = count()
    case.grow(LARGE - SMALL, user.person)
    large, large_size = count()
    assert len(large) == len(small), f"{name} ({url}) runs more queries with more rows:\n" + _explain(small, large)
    if not case.fixed:
        assert large_size > small_size, f"{name} shows nothing more with {LARGE} rows: the grower misses what it lists"


@pytest.mark.parametrize("name", sorted(PAGES) + sorted(DASHBOARDS))
def test_page_query_count_does_not_grow(request, client_as, name):
    """The page runs as many queries with 30 rows of what it lists as with 3."""
    _check(request, name, PAGES.get(name) or DASHBOARDS[name], client_as)


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_endpoint_query_count_does_not_grow(request, api_as, name):
    """The API list runs as many queries with 30 rows as with 3."""
    _check(request, name, ENDPOINTS[name], api_as)
