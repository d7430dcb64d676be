"""The download log: who may read it (page, CSV, API), its filters, the CSV export, constant query counts."""

import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from evidence.models import DownloadLog
from tests.leadership.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

READERS = ["ceo", "mgmt_rep", "auditor"]
NOT_READERS = ["dept_manager", "qa", "employee", "outsider"]
PAGE = "/evidence/download-log/"
CSV = "/evidence/download-log/csv/"
API = "/api/download-log/"


def log(user, *, record=None, kind=DownloadLog.Kind.ATTACHMENT, file_name="Calibration certificate.pdf", at=None):
    record = record or DepartmentFactory()
    return DownloadLog.objects.create(
        user=user,
        kind=kind,
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        file_name=file_name,
        sha256="ab" * 32,
        downloaded_at=at or datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC),
        ip_address="10.0.0.7",
    )


def test_the_urls_are_named():
    assert reverse("evidence:download-log") == PAGE
    assert reverse("evidence:download-log-csv") == CSV


@pytest.mark.parametrize("persona", READERS)
def test_management_and_auditors_read_the_log(request, client_as, api_as, persona, qa):
    user = request.getfixturevalue(persona)
    log(qa, file_name="Torque wrench TW-12 certificate.pdf")
    client = client_as(user)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Torque wrench TW-12 certificate.pdf" in page.content.decode()
    assert client.get(CSV).status_code == 200
    assert api_as(user).get(API).status_code == 200


@pytest.mark.parametrize("persona", NOT_READERS)
def test_others_may_not_read_the_log(request, client_as, api_as, persona):
    user = request.getfixturevalue(persona)
    client = client_as(user)
    assert client.get(PAGE).status_code == 403
    assert client.get(CSV).status_code == 403
    assert api_as(user).get(API).status_code == 403


def test_anonymous_is_sent_to_login_and_the_api_answers_401(client, api_client):
    for target in (PAGE, CSV):
        response = client.get(target)
        assert response.status_code == 302
        assert "/accounts/login/" in response.url
    assert api_client.get(API).status_code == 401


def test_the_log_is_read_only_in_the_api(api_as, mgmt_rep, qa):
    row = log(qa)
    api = api_as(mgmt_rep)
    assert api.post(API, {}, format="json").status_code == 405
    assert api.delete(f"{API}{row.pk}/").status_code == 405
    detail = api.get(f"{API}{row.pk}/").data
    assert detail["user_name"] == qa.get_full_name() or detail["user_name"] == qa.username
    assert detail["kind"] == "attachment"
    assert detail["record_type"] == "leadership.department"


def test_filters_by_user_kind_and_dates(client_as, api_as, mgmt_rep, qa, auditor):
    log(qa, file_name="a-qa-old.pdf", at=datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC))
    log(qa, file_name="b-qa-new.pdf", kind=DownloadLog.Kind.DOCUMENT)
    log(auditor, file_name="c-auditor.pdf", kind=DownloadLog.Kind.PACK)
    client = client_as(mgmt_rep)

    def names(**params):
        return [row.file_name for row in client.get(PAGE, params).context["object_list"]]

    assert sorted(names(user=qa.pk)) == ["a-qa-old.pdf", "b-qa-new.pdf"]
    assert names(kind="pack") == ["c-auditor.pdf"]
    assert names(date_to="2026-10-31") == ["a-qa-old.pdf"]
    assert sorted(names(date_from="2026-11-01")) == ["b-qa-new.pdf", "c-auditor.pdf"]
    assert names(q="auditor") == ["c-auditor.pdf"]
    api_names = [r["file_name"] for r in api_as(mgmt_rep).get(API, {"kind": "document"}).data["results"]]
    assert api_names == ["b-qa-new.pdf"]


def test_htmx_gets_the_table_only(client_as, mgmt_rep, qa):
    log(qa)
    body = client_as(mgmt_rep).get(PAGE, HTTP_HX_REQUEST="true").content.decode()
    assert "<table" in body
    assert "<html" not in body


def test_csv_export_has_who_what_when_with_the_filters_and_no_formulas(client_as, mgmt_rep, qa):
    qa.first_name, qa.last_name = "Lucy", "Hart"
    qa.save()
    log(qa, file_name="=HYPERLINK(evil).pdf")
    log(mgmt_rep, file_name="other.pdf")

    response = client_as(mgmt_rep).get(CSV, {"user": qa.pk})

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="download-log-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Downloaded at", "User", "Username", "Kind"]
    assert len(rows) == 2
    when, name, username, kind, record_type, _record, file_name, sha, ip = rows[1]
    assert when == "20 Nov 2026, 10:00:00 +00:00"
    assert (name, username, kind, record_type) == ("Lucy Hart", qa.username, "Attachment", "department")
    assert file_name == "'=HYPERLINK(evil).pdf"
    assert (sha, ip) == ("ab" * 32, "10.0.0.7")


@pytest.mark.parametrize("rows", [3, 60])
def test_log_page_query_count_does_not_grow(client_as, mgmt_rep, rows, django_assert_num_queries):
    users = [UserFactory() for _ in range(3)]
    for n in range(rows):
        log(users[n % 3], file_name=f"file-{n}.pdf")
    client = client_as(mgmt_rep)
    # session, user, permissions (2: user and group), count for pagination, groups for the role
    # badge, the filter's user drop-down, the page of rows (with user and content type), the
    # departments they point at (one query per kind of record).
    with django_assert_num_queries(9):
        assert client.get(PAGE).status_code == 200


@pytest.mark.parametrize("rows", [3, 60])
def test_log_api_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    users = [UserFactory() for _ in range(3)]
    for n in range(rows):
        log(users[n % 3], file_name=f"file-{n}.pdf")
    api = api_as(auditor)
    # token with its user, permissions (2), count, the page of rows, the departments they point at.
    with django_assert_num_queries(6):
        assert api.get(API).status_code == 200
