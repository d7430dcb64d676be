"""The demo's quality policy: three versions, partial coverage, a public link and the PDF."""

import pytest
from django.core.management import call_command

from leadership.models.commitment import CommitmentEntry
from leadership.models.policy import PolicyAcknowledgement, PolicyShareLink, PolicyVersion
from leadership.selectors import policy as selectors
from qms.signatures import signature_matches

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_demo_policy_has_two_superseded_versions_one_in_force_and_partial_coverage():
    call_command("seed_demo", "--quiet-logins")

    versions = list(PolicyVersion.objects.order_by("number").select_related("author", "approval_signature"))
    assert [(v.number, v.status) for v in versions] == [(1, "superseded"), (2, "superseded"), (3, "published")]
    current = versions[2]
    assert current.author.username == "priya"
    assert current.approval_signature.signer.username == "margaret"
    assert signature_matches(current.approval_signature, current.signed_content())
    assert current.published_at.year == 2026
    assert versions[0].superseded_by == versions[1]
    assert current.pdf
    assert len(current.pdf_sha256) == 64
    for commitment in ("satisfy", "framework for setting our quality objectives", "continual improvement"):
        assert commitment in current.text
    assert CommitmentEntry.objects.filter(source=CommitmentEntry.Source.POLICY_APPROVED).count() == 3

    # Coverage is partial, and some people read only an older version.
    coverage = selectors.policy_coverage(current)

    assert (coverage.acknowledged, coverage.total) == (10, 15)
    assert 60 <= coverage.percent <= 75
    older_only = {p.user.username for p in coverage.pending if p.last_acknowledged_number}
    assert older_only == {"aisha", "sophie", "hannah", "daniel"}
    assert {p.user.username for p in coverage.pending} - older_only == {"oliver"}


def test_demo_share_link_works_and_seeding_twice_adds_nothing(client):
    call_command("seed_demo", "--quiet-logins")
    counts = (PolicyVersion.objects.count(), PolicyAcknowledgement.objects.count(), PolicyShareLink.objects.count())
    call_command("seed_demo", "--quiet-logins")

    assert counts == (3, 35, 1)
    assert (
        PolicyVersion.objects.count(),
        PolicyAcknowledgement.objects.count(),
        PolicyShareLink.objects.count(),
    ) == counts
    link = PolicyShareLink.objects.get()
    assert link.label == "Company website"
    assert client.get(link.get_absolute_url()).status_code == 200
