"""What `manage.py verify_integrity` checks in this app: decided target revisions."""

from objectives.models import TargetRevision
from objectives.selectors.objectives import target_revision_signed_content
from qms.integrity import register_signed_content


def register() -> None:
    register_signed_content(TargetRevision, lambda revision, signature: target_revision_signed_content(revision))
