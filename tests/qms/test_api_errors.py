"""Errors the API answers everywhere: JSON, on the field at fault, and documented in the schema.

Each case here was found by the API fuzzing (`test_api_fuzz.py`) and is pinned on its own.
"""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.evidence.factories_access import WeeklyReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker, tmp_path_factory):
    target = tmp_path_factory.mktemp("schema") / "schema.json"
    with django_db_blocker.unblock():
        call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    return json.loads(target.read_text())


def test_an_api_url_that_matches_no_route_is_a_json_404(api_as, mgmt_rep):
    response = api_as(mgmt_rep).post("/api/evidence-tags/1.5/remove/", {"reason": "x"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_pages_keep_their_html_404(client_as, mgmt_rep):
    response = client_as(mgmt_rep).get("/leadership/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        "/api/evidence-tags/abc/remove/",
        "/api/meetings/abc/agenda-items/abc/",
        "/api/meetings/abc/attendees/abc/",
        "/api/policy-versions/abc/pdf/",
    ],
)
def test_an_id_that_is_not_a_number_is_a_404_not_a_server_error(api_as, mgmt_rep, url):
    client = api_as(mgmt_rep)
    method = client.get if url.endswith("pdf/") else client.post if url.endswith("remove/") else client.patch

    response = method(url, {"reason": "x"} if url.endswith("remove/") else {})

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("year", ["0", "-3.2e-25", "10000", "2026.5"])
def test_a_year_filter_outside_the_calendar_is_refused_on_its_field(api_as, mgmt_rep, year):
    client = api_as(mgmt_rep)
    for name in ("resourcerequest-list", "management-review-list", "internal-audit-list", "weekly-report-list"):
        response = client.get(reverse(name), {"year": year})

        assert response.status_code == 400, name
        assert list(response.json()) == ["year"], name


def test_a_year_filter_still_filters(api_as, mgmt_rep):
    WeeklyReportFactory(period_start=datetime.date(2026, 11, 23))  # 2026-W48

    client = api_as(mgmt_rep)
    assert client.get(reverse("weekly-report-list"), {"year": "2026"}).json()["count"] == 1
    assert client.get(reverse("weekly-report-list"), {"year": "2025"}).json()["count"] == 0


def test_commitment_coverage_of_someone_outside_top_management_names_the_person_field(api_as, ceo, employee):
    client = api_as(ceo)
    for person in ("abc", str(employee.person.pk), "99999999999999999999"):
        response = client.get(reverse("commitmententry-coverage"), {"person": person})

        assert response.status_code == 400
        assert list(response.json()) == ["person"]
    assert client.get(reverse("commitmententry-coverage"), {"person": ceo.person.pk}).status_code == 200


def test_asking_for_a_pdf_that_is_not_ready_gets_a_json_error(api_as, mgmt_rep):
    report = WeeklyReportFactory()

    response = api_as(mgmt_rep).get(reverse("weekly-report-pdf", args=[report.week]), {"format": "pdf"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The PDF of this report is not ready yet."}


def test_a_report_without_its_pdf_yet_has_a_null_pdf_url_as_documented(api_as, mgmt_rep, schema):
    report = WeeklyReportFactory()

    body = api_as(mgmt_rep).get(reverse("weekly-report-detail", args=[report.week])).json()

    assert body["pdf_url"] is None
    assert schema["components"]["schemas"]["WeeklyReport"]["properties"]["pdf_url"]["nullable"] is True


def test_every_operation_documents_the_errors_it_can_answer(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if {} not in operation.get("security", [{}]):
                assert {"401", "403"} <= set(responses), f"{method} {path}"
            if "{" in path:
                assert "404" in responses, f"{method} {path}"
            if "requestBody" in operation:
                assert "400" in responses, f"{method} {path}"
            if method in ("post", "put", "patch", "delete"):
                assert "409" in responses, f"{method} {path}"
            for status, response in responses.items():
                if status.startswith("4"):
                    assert "application/json" in response.get("content", {}), f"{method} {path} {status}"


def test_every_edit_documents_its_body(schema):
    """PATCH takes the same fields as PUT, all optional: the schema says which."""
    for path, operations in schema["paths"].items():
        for method in ("put", "patch"):
            if method in operations:
                assert "requestBody" in operations[method], f"{method} {path}"


def test_read_only_fields_of_blank_model_fields_may_be_blank_in_the_schema(schema):
    schemas = schema["components"]["schemas"]

    for component, field in (("MeetingType", "default_link"), ("Meeting", "link"), ("Person", "email")):
        alternatives = schemas[component]["properties"][field]["oneOf"]
        assert {"type": "string", "maxLength": 0} in alternatives, (component, field)
    assert {"$ref": "#/components/schemas/BlankEnum"} in schemas["Decision"]["properties"]["output_category"]["oneOf"]


def test_a_search_with_a_null_character_is_refused_on_the_search_field(api_as, mgmt_rep):
    response = api_as(mgmt_rep).get(reverse("action-list"), {"search": "burr\x00"})

    assert response.status_code == 400
    assert response.json() == {"search": ["Null characters are not allowed."]}
