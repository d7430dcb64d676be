"""API of evidence packs: list, retrieve, ask for one, download; allowed and forbidden sides."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence.models import DownloadLog, EvidencePack
from tests.evidence.factories_packs import FAKE_PDF, EvidencePackFactory, ready_pack
from tests.evidence.test_clauses_factories import catalogue  # noqa: F401
from tests.leadership.factories import DepartmentFactory

pytestmark = pytest.mark.usefixtures("catalogue")


def body(**fields):
    today = timezone.localdate()
    return {"period_start": str(today - datetime.timedelta(days=90)), "period_end": str(today), **fields}


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "auditor"])
def test_roles_that_ask_for_packs_list_retrieve_and_create(request, api_as, persona):
    """201 with the queued pack; the list and the pack answer 200, with everyone's packs."""
    user = request.getfixturevalue(persona)
    other = ready_pack()
    department = DepartmentFactory()
    client = api_as(user)
    response = client.post(reverse("evidence-pack-list"), body(clause_ids=["9.3.1"], departments=[department.pk]))
    assert response.status_code == 201, response.content
    assert response.data["status"] == "queued"
    assert response.data["clause_ids"] == ["9.3.1"]
    assert response.data["departments"] == [department.pk]
    assert response.data["download_url"] is None
    listed = client.get(reverse("evidence-pack-list")).data["results"]
    assert {row["reference"] for row in listed} == {response.data["reference"], other.reference}
    detail = client.get(reverse("evidence-pack-detail", args=[other.pk])).data
    assert detail["download_url"] == reverse("evidence-pack-download", args=[other.pk])
    assert detail["sha256"] == other.sha256


@pytest.mark.parametrize("persona", ["dept_manager", "qa", "employee", "outsider"])
def test_other_roles_are_forbidden(request, api_as, persona):
    client = api_as(request.getfixturevalue(persona))
    pack = ready_pack()
    assert client.get(reverse("evidence-pack-list")).status_code == 403
    assert client.get(reverse("evidence-pack-detail", args=[pack.pk])).status_code == 403
    assert client.post(reverse("evidence-pack-list"), body()).status_code == 403
    assert client.get(reverse("evidence-pack-download", args=[pack.pk])).status_code == 403
    assert not DownloadLog.objects.exists()
    assert EvidencePack.objects.count() == 1


def test_anonymous_gets_401(api_client):
    pack = ready_pack()
    assert api_client.get(reverse("evidence-pack-list")).status_code == 401
    assert api_client.get(reverse("evidence-pack-download", args=[pack.pk])).status_code == 401


def test_bad_input_is_400_naming_the_field_and_a_second_request_409(api_as, ceo):
    client = api_as(ceo)
    future = str(timezone.localdate() + datetime.timedelta(days=3))
    response = client.post(reverse("evidence-pack-list"), body(period_end=future))
    assert response.status_code == 400
    assert "cannot end in the future" in response.data["period_end"][0]
    response = client.post(reverse("evidence-pack-list"), body(clause_ids=["1.2.x"]))
    assert response.status_code == 400
    assert "1.2.x" in response.data["clause_ids"][0]
    assert client.post(reverse("evidence-pack-list"), body()).status_code == 201
    response = client.post(reverse("evidence-pack-list"), body())
    assert response.status_code == 409
    assert "still being built" in response.data["detail"]


def test_download_serves_the_pdf_and_logs_it(api_as, auditor):
    pack = ready_pack()
    response = api_as(auditor).get(reverse("evidence-pack-download", args=[pack.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{pack.reference}.pdf"'
    assert b"".join(response.streaming_content) == FAKE_PDF
    assert DownloadLog.objects.get().record == pack


def test_download_of_a_pack_not_ready_is_404(api_as, auditor):
    pack = EvidencePackFactory(status="queued")
    assert api_as(auditor).get(reverse("evidence-pack-download", args=[pack.pk])).status_code == 404


@pytest.mark.parametrize("rows", [3, 60])
def test_list_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    EvidencePackFactory.create_batch(rows)
    client = api_as(auditor)
    # token with its user, the user's permissions (2), the count, the page with who asked, departments.
    with django_assert_num_queries(6):
        assert client.get(reverse("evidence-pack-list")).status_code == 200
