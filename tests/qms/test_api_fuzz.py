"""The whole API, fuzzed against the OpenAPI schema it serves (schemathesis).

The schema is loaded from `/api/schema/` through the WSGI application, in process. Every operation
is then called with generated data, valid and invalid, authenticated with a DRF token: as the
management representative (who reads and writes most things), and every GET again as an auditor
(who reads everything and writes nothing). Each response must:

- not be a server error (5xx);
- have a status code the schema documents for the operation;
- have a content type the schema documents;
- have a body that matches the documented schema of that status code.

A small set of records of every kind is written first, and path parameters draw from their real
ids as well as from generated values, so that detail pages and lifecycle actions reach real rows.
Runs are deterministic (derandomised Hypothesis, a fixed seed) and use few examples per operation,
so the whole module stays within about two minutes on two cores.
"""

import os
import re

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from werkzeug.test import Client

from leadership.models.customers import ResponseTarget
from reviews.models.management_reviews import ReviewInput
from reviews.models.meetings import AgendaItem, Attendee
from tests import scale
from tests.evidence.test_clauses_factories import catalogue  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("records", "_in_process_requests")]

SEED = 20261125
# Few examples per operation keep CI within its budget; a deeper run: CLAUSE5_FUZZ_EXAMPLES=50 pytest ...
EXAMPLES = int(os.environ.get("CLAUSE5_FUZZ_EXAMPLES", "4"))

# Families of records written before the run: `n` rows of each, with the representative as `me`.
GROWERS = (
    scale.grow_people,
    scale.grow_policy_acknowledgements,
    scale.grow_policy_share_links,
    scale.grow_positions,
    scale.grow_appointments,
    scale.grow_commitment,
    scale.grow_resource_requests,
    scale.grow_quality_budgets,
    scale.grow_customer_feedback,
    scale.grow_customer_requirements,
    scale.grow_order_volumes,
    scale.grow_employee_feedback,
    scale.grow_objectives,
    scale.grow_target_revisions,
    scale.grow_risks,
    scale.grow_meeting_types,
    scale.grow_meetings,
    scale.grow_decisions,
    scale.grow_management_reviews,
    scale.grow_actions,
    scale.grow_audits,
    scale.grow_evidence_tags,
    scale.grow_evidence_packs,
    scale.grow_download_log,
    scale.grow_auditor_access,
    scale.grow_weekly_reports,
)

CONFIG = {
    "seed": SEED,
    # The same as `HYPOTHESIS` below, for what schemathesis generates on its own.
    "generation": {"mode": "all", "deterministic": True, "database": "none", "max-examples": EXAMPLES},
    # Stateful sequences (links between operations) would multiply the run time; the real ids
    # given to path parameters below reach the same rows.
    "phases": {"stateful": {"enabled": False}},
    "checks": {
        # The four properties this module asserts (see the docstring) ...
        "not_a_server_error": {"enabled": True},
        "status_code_conformance": {"enabled": True},
        "content_type_conformance": {"enabled": True},
        "response_schema_conformance": {"enabled": True},
        # ... and not these. A generated "valid" body is often refused by a domain rule (409, 400
        # for a date in the past, a reference already taken), and DRF coerces some invalid values
        # on purpose ("1" for 1): acceptance and rejection are not properties of this API.
        "positive_data_acceptance": {"enabled": False},
        "negative_data_rejection": {"enabled": False},
        # Requests without the token, or with a method an endpoint does not offer (401, 405), are
        # tested by each area's API tests, with the answer they must give.
        "missing_required_header": {"enabled": False},
        "ignored_auth": {"enabled": False},
        "unsupported_method": {"enabled": False},
        # These follow a record across calls: they belong to the stateful phase, off above.
        "use_after_free": {"enabled": False},
        "ensure_resource_availability": {"enabled": False},
        # The schema documents no response headers (ETags are tested with the concurrent edits).
        "response_headers_conformance": {"enabled": False},
    },
}

HYPOTHESIS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=list(hypothesis.HealthCheck),
)


@pytest.fixture
def _in_process_requests():
    """Requests through the WSGI handler keep the test's connection and its transaction.

    Django's handler closes "old" connections at the start and end of each request; inside the
    test's transaction that would drop every row written so far. Its test client disconnects
    the same receivers.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(mgmt_rep, ceo, catalogue):  # noqa: F811
    """Two rows of every family the API lists (tests/scale.py), and two response targets."""
    me = mgmt_rep.person
    for grow in GROWERS:
        grow(2, me)
    for severity, (response, close) in list(ResponseTarget.DEFAULTS.items())[:2]:
        ResponseTarget.objects.create(severity=severity, days_to_response=response, days_to_close=close)


def _ids(client, path: str, key: str, headers: dict) -> list:
    """Up to three values of `key` in the rows a list endpoint returns (paginated or not)."""
    response = client.get(path, query_string={"page_size": 3}, headers=headers)
    if response.status_code != 200:
        return []
    body = response.get_json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    return [row[key] for row in rows if isinstance(row, dict) and key in row][:3]


def _real_path_parameters(raw: dict, app, headers: dict) -> dict[str, list[dict]]:
    """Real values for each templated path: the ids its list endpoint returns, or rows read directly."""
    client = Client(app)
    meeting_items = [{"id": m, "item_pk": pk} for m, pk in AgendaItem.objects.values_list("meeting_id", "pk")[:3]]
    meeting_attendees = [{"id": m, "attendee_pk": pk} for m, pk in Attendee.objects.values_list("meeting_id", "pk")[:3]]
    # Paths whose rows have no list endpoint of their own.
    direct = {
        "/api/agenda-items/{id}/minutes/": [{"id": pk} for pk in AgendaItem.objects.values_list("pk", flat=True)[:3]],
        "/api/review-inputs/{id}/": [{"id": pk} for pk in ReviewInput.objects.values_list("pk", flat=True)[:3]],
        "/api/meetings/{id}/agenda-items/{item_pk}/": meeting_items,
        "/api/meetings/{id}/agenda-items/{item_pk}/move/": meeting_items,
        "/api/meetings/{id}/attendees/{attendee_pk}/": meeting_attendees,
    }
    real = {}
    for path in raw["paths"]:
        names = re.findall(r"{(\w+)}", path)
        if not names:
            continue
        if path in direct:
            real[path] = direct[path]
            continue
        assert len(names) == 1, f"{path}: give its parameters real values in `direct`"
        (name,) = names
        collection = path[: path.index("{")]
        key = "id" if name in ("id", "pk") else name
        values = _ids(client, collection, key, headers) if collection in raw["paths"] else []
        assert values, f"{path}: no real {name} found through {collection}; add records or a `direct` entry"
        real[path] = [{name: value} for value in values]
    return real


def _load(user) -> tuple[schemathesis.BaseSchema, dict, dict]:
    token, _ = Token.objects.get_or_create(user=user)
    headers = {"Authorization": f"Token {token.key}"}
    app = get_wsgi_application()
    config = schemathesis.Config.from_dict({**CONFIG, "headers": headers})
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, config=config, headers=headers)
    return schema, headers, _real_path_parameters(schema.raw_schema, app, headers)


def _strategy(operation, headers: dict, known: list[dict]):
    """Valid and invalid requests; with real path parameters first, then generated ones."""
    strategies = [operation.as_strategy(headers=headers, path_parameters=values) for values in known]
    strategies.append(operation.as_strategy(headers=headers))
    strategies.append(operation.as_strategy(GenerationMode.NEGATIVE, headers=headers))
    return st.one_of(*strategies)


def _fuzz(user, *, methods: tuple[str, ...] | None = None) -> None:
    """One Hypothesis test per operation, every failure collected and reported together.

    The operations are looped over here rather than through schemathesis' pytest plugin, whose
    loading from a fixture (needed: the schema is served only to a signed-in user, after the
    records exist) does not run under pytest 9.2.
    """
    schema, headers, real = _load(user)
    failures = {}
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if methods and operation.method.upper() not in methods:
            continue
        tested += 1

        @HYPOTHESIS
        @hypothesis.given(case=_strategy(operation, headers, real.get(operation.path, [])))
        def call(case):
            case.call_and_validate(headers=headers)

        try:
            call()
        except (Exception, BaseExceptionGroup) as exc:  # every failure is reported, then the test fails
            failures[operation.label] = str(exc)[:3000]
    assert tested > 50, f"only {tested} operations found in the schema"
    assert not failures, f"{len(failures)} of {tested} operations failed:\n\n" + "\n\n".join(
        f"=== {label}\n{text}" for label, text in failures.items()
    )


def test_every_operation_answers_as_documented_for_the_representative(mgmt_rep):
    _fuzz(mgmt_rep)


def test_every_read_answers_as_documented_for_an_auditor(auditor):
    _fuzz(auditor, methods=("GET",))
