"""`manage.py verify_integrity`: every signature and stored file checked; tampering and loss make it fail."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from evidence.models import IssuedDocument
from evidence.services.attachments import attachment_add
from evidence.services.documents import document_issue
from leadership.models.policy import PolicyVersion
from qms.models import Signature
from reviews.models.meetings import Meeting
from tests.evidence.factories_documents import signed_meeting
from tests.evidence.factories_packs import FAKE_PDF, ready_pack
from tests.leadership.factories import DepartmentFactory
from tests.leadership.factories_policy import published_version

pytestmark = pytest.mark.django_db

MINUTES_PDF = b"%PDF-1.7\n% signed minutes of the machining hall\n%%EOF\n"


def verify(*args) -> tuple[str, int]:
    """Run the command; returns its output and its exit status."""
    out = io.StringIO()
    try:
        call_command("verify_integrity", *args, stdout=out, no_color=True)
    except CommandError as exc:
        return out.getvalue() + str(exc), exc.returncode
    return out.getvalue(), 0


def rows(output: str, status: str) -> list[str]:
    """The rows with `status` in the STATUS column (after the 16-character AREA column)."""
    return [line for line in output.splitlines() if line[17:26].strip() == status]


@pytest.fixture
def evidence(ceo, mgmt_rep):
    """Signed records and stored files of every kind the command checks."""
    policy = published_version(author=mgmt_rep, approver=ceo)
    meeting = signed_meeting(ceo)
    attachment = attachment_add(
        actor=mgmt_rep,
        record=DepartmentFactory(name="Machining"),
        uploaded_file=SimpleUploadedFile("calibration.pdf", MINUTES_PDF),
        description="Calibration certificate",
    )
    pack = ready_pack(requested_by=ceo)
    document_issue(kind=IssuedDocument.Kind.PACK, record=pack, content=FAKE_PDF, title="Evidence pack", issued_to=ceo)
    return {"policy": policy, "meeting": meeting, "attachment": attachment, "pack": pack}


def test_everything_intact_passes_with_one_row_per_signature_and_file(evidence):
    output, status = verify()

    assert status == 0
    assert rows(output, "MISMATCH") == rows(output, "MISSING") == []
    # Author and approver of the policy, the chair of the minutes.
    assert len([r for r in rows(output, "OK") if r.startswith("signature")]) == Signature.objects.count() == 3
    assert len([r for r in rows(output, "OK") if r.startswith("file")]) == 2
    assert len([r for r in rows(output, "OK") if r.startswith("issued document")]) == 1
    assert "Integrity check passed: 6 OK." in output


def test_a_record_changed_after_signing_is_a_mismatch(evidence):
    meeting = evidence["meeting"]
    # As a direct database edit would: no service allows it.
    Meeting.objects.filter(pk=meeting.pk).update(general_notes="Nothing was decided.")

    output, status = verify("--problems")

    assert status == 1
    [row] = rows(output, "MISMATCH")
    assert row.startswith("signature")
    assert meeting.reference in row
    assert "changed after signing" in row
    assert rows(output, "OK") == []
    assert "Integrity check failed: 1 MISMATCH, 5 OK." in output


def test_a_tampered_file_is_a_mismatch(evidence):
    attachment = evidence["attachment"]
    with open(attachment.file.path, "wb") as handle:
        handle.write(MINUTES_PDF.replace(b"machining", b"assembly!"))

    output, status = verify()

    assert status == 1
    [row] = rows(output, "MISMATCH")
    assert row.startswith("file")
    assert attachment.file.name in row
    assert attachment.sha256[:12] in row


def test_a_missing_file_is_reported_with_the_documents_issued_from_it(evidence):
    pack = evidence["pack"]
    pack.file.storage.delete(pack.file.name)

    output, status = verify()

    assert status == 1
    missing = rows(output, "MISSING")
    assert len(missing) == 2
    assert missing[0].startswith("file")
    assert pack.reference in missing[0]
    assert missing[1].startswith("issued document")
    assert "not in storage" in missing[1]


def test_a_signed_record_that_disappeared_is_missing(evidence):
    policy = evidence["policy"]
    Signature.objects.filter(object_id=str(policy.pk), content_type__model="policyversion").update(object_id="999999")

    output, status = verify("--problems")

    assert status == 1
    assert len(rows(output, "MISSING")) == 2
    assert all("leadership.policyversion #999999" in r for r in rows(output, "MISSING"))


def test_an_edited_rejected_draft_does_not_fail_the_signature_it_had(ceo, mgmt_rep):
    from leadership.services import policy as services
    from tests.conftest import PASSWORD
    from tests.leadership.factories_policy import draft_fields

    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())
    version = services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD)
    version = services.policy_version_reject(actor=ceo, version=version, reason="Say how customers are heard.")
    version = services.policy_version_update(
        actor=mgmt_rep, version=version, text=version.text + "\nWe ask our customers every quarter."
    )

    output, status = verify()

    assert status == 0, output
    assert len(rows(output, "OK")) == 1
    assert PolicyVersion.objects.get(pk=version.pk).author_signature is None


def test_the_demo_organisation_verifies_clean():
    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())

    output, status = verify()

    assert status == 0, "\n".join(rows(output, "MISMATCH") + rows(output, "MISSING") + rows(output, "UNKNOWN"))
    signed = {row.split()[2] for row in rows(output, "OK") if row.startswith("signature")}
    assert {"policy", "meeting", "management"} <= signed
