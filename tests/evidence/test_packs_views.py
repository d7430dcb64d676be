"""Pages of evidence packs: who may ask, see, follow and download a pack, and what each state shows."""

import pytest
from django.urls import reverse

from evidence.models import DownloadLog, EvidencePack
from tests.evidence.factories_packs import FAKE_PDF, EvidencePackFactory, ready_pack
from tests.evidence.test_clauses_factories import catalogue  # noqa: F401

pytestmark = pytest.mark.usefixtures("catalogue")

MAY_ASK = ["ceo", "mgmt_rep", "auditor"]
MAY_NOT = ["dept_manager", "qa", "employee", "outsider"]


@pytest.mark.parametrize("persona", MAY_ASK)
def test_pack_pages_open_for_the_roles_that_ask_for_packs(request, client_as, persona):
    """List, request form, detail and progress answer 200."""
    client = client_as(request.getfixturevalue(persona))
    pack = EvidencePackFactory()
    for url in (
        reverse("evidence:pack-list"),
        reverse("evidence:pack-create"),
        reverse("evidence:pack-detail", args=[pack.pk]),
        reverse("evidence:pack-progress", args=[pack.pk]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", MAY_NOT)
def test_pack_pages_are_forbidden_to_other_roles(request, client_as, persona):
    """Department managers, QA staff, employees and people without a role get 403 everywhere."""
    client = client_as(request.getfixturevalue(persona))
    pack = ready_pack()
    for url in (
        reverse("evidence:pack-list"),
        reverse("evidence:pack-create"),
        reverse("evidence:pack-detail", args=[pack.pk]),
        reverse("evidence:pack-progress", args=[pack.pk]),
        reverse("evidence:pack-download", args=[pack.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("evidence:pack-create"), {"preset": "last-12-months"}).status_code == 403
    assert not DownloadLog.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    pack = ready_pack()
    for url in (reverse("evidence:pack-list"), reverse("evidence:pack-download", args=[pack.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_asking_for_a_pack_queues_it_and_shows_its_progress(client_as, mgmt_rep):
    """The form's preset sets the period; the user lands on the pack's page, which polls every 2 s."""
    client = client_as(mgmt_rep)
    response = client.post(
        reverse("evidence:pack-create"), {"preset": "last-calendar-year", "clause_ids": ["5.2.1.a", "9.3.1"]}
    )
    pack = EvidencePack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:pack-detail", args=[pack.pk])
    assert (pack.period_start.month, pack.period_start.day, pack.period_end.month, pack.period_end.day) == (
        1,
        1,
        12,
        31,
    )
    assert pack.clause_ids == ["5.2.1.a", "9.3.1"]
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "Waiting for the PDF builder" in page


def test_a_custom_period_needs_both_days_and_bad_input_is_shown_on_the_form(client_as, ceo):
    client = client_as(ceo)
    page = client.post(reverse("evidence:pack-create"), {"preset": "custom", "period_start": "2020-01-01"}).content
    assert b"Give the last day of the custom period." in page
    page = client.post(
        reverse("evidence:pack-create"),
        {"preset": "custom", "period_start": "2019-01-01", "period_end": "2024-12-31"},
    ).content.decode()
    assert "A pack covers at most 3 years" in page
    assert not EvidencePack.objects.exists()


def test_a_second_request_is_refused_in_words(client_as, ceo):
    client = client_as(ceo)
    client.post(reverse("evidence:pack-create"), {"preset": "last-12-months"})
    page = client.post(reverse("evidence:pack-create"), {"preset": "last-12-months"}).content.decode()
    assert "is still being built" in page
    assert EvidencePack.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "expected", "polls"),
    [
        ({"status": "queued"}, "Waiting for the PDF builder", True),
        (
            {"status": "building", "progress": 40, "progress_note": "Laying out the pages."},
            "Laying out the pages.",
            True,
        ),
        ({"status": "failed", "error": "Building took longer than the 300 seconds allowed."}, "took longer", False),
    ],
)
def test_progress_shows_each_state(client_as, auditor, fields, expected, polls):
    """Queued and building keep polling; failed stops and says why in words."""
    pack = EvidencePackFactory(**fields)
    page = client_as(auditor).get(reverse("evidence:pack-progress", args=[pack.pk])).content.decode()
    assert expected in page
    assert ('hx-trigger="every 2s"' in page) is polls


def test_ready_pack_shows_download_hash_and_pages(client_as, auditor):
    pack = ready_pack()
    page = client_as(auditor).get(reverse("evidence:pack-detail", args=[pack.pk])).content.decode()
    assert reverse("evidence:pack-download", args=[pack.pk]) in page
    assert pack.sha256 in page
    assert "every 2s" not in page


@pytest.mark.parametrize("persona", MAY_ASK)
def test_download_serves_the_pdf_as_an_attachment_and_logs_it(request, client_as, persona):
    """Top management, the representative and auditors download any pack; the download is logged."""
    user = request.getfixturevalue(persona)
    pack = ready_pack()
    response = client_as(user).get(reverse("evidence:pack-download", args=[pack.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{pack.reference}.pdf"'
    assert b"".join(response.streaming_content) == FAKE_PDF
    log = DownloadLog.objects.get()
    assert (log.user, log.kind, log.record, log.sha256, log.file_name) == (
        user,
        "pack",
        pack,
        pack.sha256,
        f"{pack.reference}.pdf",
    )


def test_a_pack_not_ready_cannot_be_downloaded(client_as, auditor):
    pack = EvidencePackFactory(status="building")
    assert client_as(auditor).get(reverse("evidence:pack-download", args=[pack.pk])).status_code == 404
    assert not DownloadLog.objects.exists()


@pytest.mark.parametrize("rows", [3, 60])
def test_pack_list_query_count_does_not_grow(client_as, auditor, rows, django_assert_num_queries):
    EvidencePackFactory.create_batch(rows)
    client = client_as(auditor)
    # session, user, the user's permissions (2: user and group), the count for pagination, the
    # groups for the role badge, the page of packs with who asked, their departments (prefetch).
    with django_assert_num_queries(8):
        assert client.get(reverse("evidence:pack-list")).status_code == 200
