"""Services of the quality policy (5.2): versions, approval, publication, acknowledgements, shared copies."""

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadership.models import Person
from leadership.models.commitment import CommitmentEntry
from leadership.models.policy import (
    CONFIRMATIONS,
    PolicyAcknowledgement,
    PolicyShareLink,
    PolicyVersion,
)
from leadership.selectors import policy as selectors
from leadership.services.commitment import commitment_record_from
from qms import outbox
from qms.exceptions import ApplicationError
from qms.notifications import iso_week, notify_once
from qms.signatures import signature_sign, signing_service

logger = logging.getLogger(__name__)

Status = PolicyVersion.Status

REMINDER_KIND = "policy-acknowledgement-reminder"
# What approving the policy evidences in the commitment log: the policy exists and fits the
# strategy (5.1.1.b), and top management communicates why quality matters (5.1.1.f).
APPROVAL_COMMITMENT_IDS = ["5.1.1.b", "5.1.1.f"]

POLICY_VERSION_EDITABLE = (
    "title",
    "text",
    "change_summary",
    "strategy_context",
    *(field for field, _req, _text in CONFIRMATIONS),
)


def _save_with_actor(instance, actor) -> None:
    instance.full_clean()
    instance._history_user = actor
    instance.save()


_TEXT_FIELDS = ("title", "text", "change_summary", "strategy_context")


def _normalised(values: dict) -> dict:
    """Browsers send CRLF line ends, API clients LF: store LF so that the signed hash and the
    history see the same text whichever way it came in."""
    return {
        k: (v.replace("\r\n", "\n").replace("\r", "\n").strip() if k in _TEXT_FIELDS and isinstance(v, str) else v)
        for k, v in values.items()
    }


def _require(actor, permission: str, doing: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(f"You are not allowed to {doing}.")


def policy_version_locked_message(version: PolicyVersion) -> str:
    """Why a version cannot be changed, and what to do instead."""
    if version.status == Status.SUBMITTED:
        return (
            f"Version {version.number} is submitted for approval and cannot be changed. "
            "Top management can reject it back to draft if it needs changes."
        )
    return (
        f"Version {version.number} is {version.get_status_display().lower()} and can no longer be changed. "
        "Make a new version from it instead."
    )


def _lock(version: PolicyVersion) -> PolicyVersion:
    """Re-read the version under a row lock so that two transitions cannot both pass their checks."""
    return PolicyVersion.objects.select_for_update().get(pk=version.pk)


# Versions --------------------------------------------------------------------------------


@transaction.atomic
def policy_version_create(
    *,
    actor,
    text: str,
    title: str = "Quality policy",
    change_summary: str = "",
    strategy_context: str = "",
    based_on: PolicyVersion | None = None,
    **confirmations: bool,
) -> PolicyVersion:
    """Start a new draft version with the next version number."""
    _require(actor, "leadership.add_policyversion", "draft a quality policy version")
    unknown = set(confirmations) - {field for field, _req, _text in CONFIRMATIONS}
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set through policy_version_create")
    in_progress = PolicyVersion.objects.filter(status__in=[Status.DRAFT, Status.SUBMITTED]).order_by("number").first()
    if in_progress is not None:
        raise ApplicationError(
            f"Version {in_progress.number} is already in progress ({in_progress.get_status_display().lower()}). "
            "Finish it, or have it rejected back to draft and change it, before starting another.",
            extra={"version": in_progress.pk},
        )
    # The lock on the last row keeps two drafts from taking the same number; the unique
    # constraint on number is the guarantee behind it.
    last = PolicyVersion.objects.select_for_update().order_by("-number").first()
    content = _normalised(
        {"title": title, "text": text, "change_summary": change_summary, "strategy_context": strategy_context}
    )
    version = PolicyVersion(
        number=(last.number + 1) if last else 1, based_on=based_on, author=actor, **content, **confirmations
    )
    _save_with_actor(version, actor)
    return version


@transaction.atomic
def policy_version_update(*, actor, version: PolicyVersion, **changes) -> PolicyVersion:
    """Change a draft. Anything past draft is refused: a correction is a new version."""
    _require(actor, "leadership.change_policyversion", "change a quality policy version")
    for field in changes:
        if field not in POLICY_VERSION_EDITABLE:
            raise ValueError(f"{field} cannot be changed through policy_version_update")
    version = _lock(version)
    if not version.is_editable:
        raise ApplicationError(policy_version_locked_message(version))
    for field, value in _normalised(changes).items():
        setattr(version, field, value)
    _save_with_actor(version, actor)
    return version


@transaction.atomic
def policy_version_new_from(*, actor, source: PolicyVersion) -> PolicyVersion:
    """Copy a version into a new draft. The author confirms the 5.2.1 elements again for it."""
    return policy_version_create(
        actor=actor,
        title=source.title,
        text=source.text,
        strategy_context=source.strategy_context,
        change_summary="",
        based_on=source,
    )


@signing_service
@transaction.atomic
def policy_version_submit(*, actor, version: PolicyVersion, password: str, otp_code: str = "") -> PolicyVersion:
    """Submit a draft for approval; the submitter signs it as its author."""
    _require(actor, "leadership.change_policyversion", "submit a quality policy version")
    version = _lock(version)
    if version.status != Status.DRAFT:
        raise ApplicationError(
            f"Version {version.number} is {version.get_status_display().lower()}; only a draft can be submitted."
        )
    errors = {}
    for field, req, text in CONFIRMATIONS:
        if not getattr(version, field):
            errors[field] = f"Confirm that the policy {text} ({req}) before submitting."
    if not version.text.strip():
        errors["text"] = "Write the policy text before submitting."
    if not version.strategy_context.strip():
        errors["strategy_context"] = "Say which purpose, context and strategy the policy fits (5.2.1.a)."
    if not version.change_summary.strip() and PolicyVersion.objects.filter(number__lt=version.number).exists():
        errors["change_summary"] = "Summarise what changed from the previous version and why."
    if errors:
        raise ValidationError(errors)
    signature = signature_sign(
        actor=actor,
        record=version,
        meaning="authored",
        password=password,
        otp_code=otp_code,
        content=version.signed_content(),
        statement=f"I submit version {version.number} of the quality policy for approval as its author.",
    )
    version.status = Status.SUBMITTED
    version.submitted_at = signature.signed_at
    version.author_signature = signature
    _save_with_actor(version, actor)
    return version


@signing_service
@transaction.atomic
def policy_version_approve(*, actor, version: PolicyVersion, password: str, otp_code: str = "") -> PolicyVersion:
    """Approve a submitted version with top management's e-signature; it is immutable from then on."""
    _require(actor, "leadership.approve_policyversion", "approve the quality policy (top management only)")
    version = _lock(version)
    if version.status != Status.SUBMITTED:
        raise ApplicationError(
            f"Version {version.number} is {version.get_status_display().lower()}; "
            "only a version submitted for approval can be approved."
        )
    signature = signature_sign(
        actor=actor,
        record=version,
        meaning="approved",
        password=password,
        otp_code=otp_code,
        content=version.signed_content(),
        statement=f"I approve version {version.number} of the quality policy.",
    )
    version.status = Status.APPROVED
    version.approval_signature = signature
    _save_with_actor(version, actor)
    person = Person.objects.filter(user=actor).select_related("user").first()
    if person is not None:
        commitment_record_from(
            person=person,
            source=CommitmentEntry.Source.POLICY_APPROVED,
            source_record=version,
            date=timezone.localdate(signature.signed_at),
            description=f"Approved quality policy version {version.number} (“{version.title}”) with an e-signature.",
            requirement_ids=APPROVAL_COMMITMENT_IDS,
        )
    return version


@transaction.atomic
def policy_version_reject(*, actor, version: PolicyVersion, reason: str) -> PolicyVersion:
    """Send a submitted version back to draft, with the reason recorded."""
    _require(actor, "leadership.approve_policyversion", "reject a quality policy version (top management only)")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the version is rejected, so that the author knows what to change."})
    version = _lock(version)
    if version.status != Status.SUBMITTED:
        raise ApplicationError(
            f"Version {version.number} is {version.get_status_display().lower()}; "
            "only a version submitted for approval can be rejected."
        )
    version.status = Status.DRAFT
    version.rejected_at = timezone.now()
    version.rejected_by = actor
    version.rejection_reason = reason
    # The author signs again when resubmitting; the old signature stays in the history.
    version.author_signature = None
    version.submitted_at = None
    _save_with_actor(version, actor)
    return version


def policy_version_publish_preview(*, version: PolicyVersion) -> dict:
    """What publishing `version` would change: acknowledgements to be asked again, links that stop working."""
    current = selectors.policy_version_published()
    if current is None or current.pk == version.pk:
        return {"current": current, "acknowledgements_reset": 0, "share_links_stopped": 0}
    return {
        "current": current,
        "acknowledgements_reset": selectors.acknowledgements_in_scope(current).count(),
        "share_links_stopped": current.share_links.filter(revoked_at__isnull=True).count(),
    }


@transaction.atomic
def policy_version_publish(*, actor, version: PolicyVersion) -> PolicyVersion:
    """Put an approved version in force, superseding the published one in the same transaction.

    Everyone is asked to acknowledge the new version; its controlled PDF is rendered in the background.
    """
    _require(actor, "leadership.publish_policyversion", "publish the quality policy")
    version = _lock(version)
    if version.status != Status.APPROVED:
        raise ApplicationError(
            f"Version {version.number} is {version.get_status_display().lower()}; only an approved version "
            "can be published."
        )
    now = timezone.now()
    current = PolicyVersion.objects.select_for_update().filter(status=Status.PUBLISHED).first()
    if current is not None:
        if current.number > version.number:
            raise ApplicationError(
                f"Version {current.number} is already published and is newer than version {version.number}."
            )
        current.status = Status.SUPERSEDED
        current.superseded_at = now
        current.superseded_by = version
        _save_with_actor(current, actor)
    version.status = Status.PUBLISHED
    version.published_at = now
    version.published_by = actor
    _save_with_actor(version, actor)

    # Imported here: the tasks module imports this one.
    from leadership.tasks.policy import policy_acknowledgement_remind_task, policy_version_render_pdf_task

    version_id = version.pk
    outbox.enqueue(policy_version_render_pdf_task, version_id)
    outbox.enqueue(policy_acknowledgement_remind_task)
    return version


@transaction.atomic
def policy_version_request_pdf(*, actor, version: PolicyVersion) -> None:
    """Ask the worker to render a missing PDF again, e.g. after a rendering error."""
    _require(actor, "leadership.publish_policyversion", "prepare the PDF of the quality policy")
    if version.status not in {Status.PUBLISHED, Status.SUPERSEDED}:
        raise ApplicationError(f"Version {version.number} was never published, so it has no controlled PDF.")
    if version.pdf:
        raise ApplicationError(f"The PDF of version {version.number} is already there.")
    from leadership.tasks.policy import policy_version_render_pdf_task

    version_id = version.pk
    outbox.enqueue(policy_version_render_pdf_task, version_id)


def _pdf_context(version: PolicyVersion) -> dict:
    return {"version": version, "signatures": [s for s in (version.author_signature, version.approval_signature) if s]}


def policy_version_render_pdf(*, version_id: int, force: bool = False) -> bool:
    """Render the controlled PDF copy of a published version and store it with its SHA-256.

    Returns whether a file was stored. Idempotent by compare-and-set: the file is attached only
    if the version still has none, so a retried or duplicated task stores one file.
    """
    # Imported here: WeasyPrint is heavy, and only the worker (and the demo seed) renders.
    from qms.pdf import render_pdf

    version = selectors.policy_version_list().get(pk=version_id)
    if version.status not in {Status.PUBLISHED, Status.SUPERSEDED}:
        return False
    if version.pdf and not force:
        return False
    content = render_pdf("pdf/policy_version.html", _pdf_context(version))
    digest = hashlib.sha256(content).hexdigest()
    storage = PolicyVersion._meta.get_field("pdf").storage
    name = storage.save(f"policy/quality-policy-v{version.number}.pdf", ContentFile(content))
    claim = PolicyVersion.objects.filter(pk=version_id)
    if not force:
        claim = claim.filter(pdf="")
    old_name = version.pdf.name if force else ""
    if not claim.update(pdf=name, pdf_sha256=digest, pdf_rendered_at=timezone.now()):
        # Another worker stored its copy first.
        storage.delete(name)
        return False
    if old_name and old_name != name:
        storage.delete(old_name)
    return True


# Acknowledgements ------------------------------------------------------------------------


@transaction.atomic
def policy_acknowledgement_record(*, actor, version: PolicyVersion | None = None) -> PolicyAcknowledgement:
    """Record that the signed-in person has read and understood the published policy. Once per version.

    `version` is the one the person read; if a newer one was published meanwhile, nothing is recorded.
    """
    person = Person.objects.filter(user=actor).first() if actor is not None and actor.is_authenticated else None
    if person is None:
        raise ApplicationError(
            "Your account has no person profile, so an acknowledgement cannot be recorded. "
            "Ask your management representative to add you.",
            status_code=403,
        )
    if not selectors.staff_in_scope().filter(pk=person.pk).exists():
        # An external auditor reads the records and changes none; the policy is the staff's (5.2.2.b).
        raise ApplicationError(
            "The policy is acknowledged by the organisation's own people; an auditor's account reads it only.",
            status_code=403,
        )
    published = selectors.policy_version_published()
    if published is None:
        raise ApplicationError("No quality policy is published yet, so there is nothing to acknowledge.")
    if version is not None and version.pk != published.pk:
        raise ApplicationError(
            f"Version {version.number} is not the published policy; version {published.number} is. "
            f"Read version {published.number} and acknowledge that one.",
            extra={"published_version": published.pk},
        )
    existing = PolicyAcknowledgement.objects.filter(person=person, version=published).first()
    if existing is not None:
        raise ApplicationError(
            f"You acknowledged version {published.number} on "
            f"{timezone.localtime(existing.acknowledged_at):%d %b %Y at %H:%M}; it is recorded once.",
            extra={"acknowledgement": existing.pk},
        )
    acknowledgement = PolicyAcknowledgement(person=person, version=published, acknowledged_at=timezone.now())
    _save_with_actor(acknowledgement, actor)
    return acknowledgement


def policy_acknowledgement_remind(*, period: str | None = None) -> int:
    """Remind everyone in scope who has not acknowledged the published policy; once per person per week.

    Returns how many reminders were sent now. Safe to run twice: `notify_once` sends nothing twice.
    """
    published = selectors.policy_version_published()
    if published is None:
        return 0
    period = period or iso_week()
    url = settings.BASE_URL + reverse("leadership:policy-current")
    sent = 0
    for person in selectors.people_not_acknowledged(published).filter(user__is_active=True):
        sent += notify_once(
            recipient=person.user,
            kind=REMINDER_KIND,
            subject_key=f"leadership.policyversion:{published.pk}",
            period=period,
            title=f"Please read and acknowledge quality policy version {published.number}",
            body=(
                f"Quality policy version {published.number} (“{published.title}”) of "
                f"{settings.ORGANISATION_NAME} is in force. Please read it and confirm that you have "
                "read and understood it. It takes a few minutes."
            ),
            url=url,
        )
    return sent


# Share links -----------------------------------------------------------------------------


@transaction.atomic
def policy_share_link_create(*, actor, label: str, version: PolicyVersion | None = None) -> PolicyShareLink:
    """A public link to the published policy, e.g. for the company website or a customer."""
    _require(actor, "leadership.share_policyversion", "share the quality policy")
    published = selectors.policy_version_published()
    version = version or published
    if version is None:
        raise ApplicationError("No quality policy is published yet; publish one before sharing it.")
    if published is None or version.pk != published.pk:
        raise ApplicationError(
            f"Version {version.number} is not the published policy; only the published version can be shared."
        )
    link = PolicyShareLink(
        version=version, label=(label or "").strip(), token=secrets.token_urlsafe(32), created_by=actor
    )
    _save_with_actor(link, actor)
    return link


@transaction.atomic
def policy_share_link_revoke(*, actor, link: PolicyShareLink) -> PolicyShareLink:
    """Stop a public link from working; the record stays."""
    _require(actor, "leadership.share_policyversion", "revoke a link to the quality policy")
    link = PolicyShareLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None:
        raise ApplicationError(
            f"The link “{link.label}” was already revoked on {timezone.localtime(link.revoked_at):%d %b %Y}."
        )
    link.revoked_at = timezone.now()
    link.revoked_by = actor
    _save_with_actor(link, actor)
    return link
