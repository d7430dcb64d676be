"""What `manage.py verify_integrity` checks in this app: its signed records and the policy PDFs."""

from leadership.models.policy import PolicyVersion
from leadership.models.positions import ManagementRepresentativeAppointment
from leadership.models.resources import ResourceRequest
from leadership.selectors.resources import resource_request_signed_content
from qms.integrity import StoredFile, register_signed_content, register_stored_file
from qms.signatures import canonical_text


def policy_version_signed_content(version: PolicyVersion, signature) -> str:
    """The text the author or approver signed.

    A submission that was rejected leaves its author signature behind, no longer carried by the
    version, which may have been edited since: that signature covered the version as it was then.
    """
    if signature.pk in {version.author_signature_id, version.approval_signature_id}:
        return version.signed_content()
    return version.history.as_of(signature.signed_at).signed_content()


def register() -> None:
    register_signed_content(PolicyVersion, policy_version_signed_content)
    register_signed_content(
        ManagementRepresentativeAppointment,
        lambda appointment, signature: canonical_text(appointment.signed_content()),
    )
    register_signed_content(ResourceRequest, lambda request, signature: resource_request_signed_content(request))
    register_stored_file(StoredFile(model=PolicyVersion, file_field="pdf", hash_field="pdf_sha256"))
