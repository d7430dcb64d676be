"""Factories of the quality policy: versions in any state, acknowledgements and share links."""

import secrets

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from leadership.models.policy import PolicyAcknowledgement, PolicyShareLink, PolicyVersion
from qms.models import Signature
from qms.signatures import content_hash
from tests.leadership.factories import PersonFactory, UserFactory

Status = PolicyVersion.Status

POLICY_TEXT = (
    "We machine precision components that meet our customers' drawings and specifications, first time and "
    "on time.\n\n"
    "We commit to meeting customer, statutory and regulatory requirements.\n\n"
    "We set measurable quality objectives each year from this policy and review them at management review.\n\n"
    "We commit to continually improving our quality management system."
)


class SignatureFactory(factory.django.DjangoModelFactory):
    """A signature made without a password: for records that tests need already signed."""

    class Meta:
        model = Signature

    signer = factory.SubFactory(UserFactory)
    signer_name = factory.LazyAttribute(lambda s: s.signer.get_full_name() or s.signer.get_username())
    signer_title = "Managing Director"
    meaning = "approved"
    statement = "I approve this version of the quality policy."
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(PolicyVersion))
    object_id = "0"
    content_sha256 = "0" * 64


class PolicyVersionFactory(factory.django.DjangoModelFactory):
    """A version; a draft with every 5.2.1 element confirmed unless a trait says otherwise."""

    class Meta:
        model = PolicyVersion
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 1)
    title = "Quality policy"
    text = POLICY_TEXT
    strategy_context = "Grow in aerospace and medical machining with zero-defect deliveries."
    change_summary = ""
    author = factory.SubFactory(UserFactory)
    confirms_purpose_and_strategy = True
    confirms_objectives_framework = True
    confirms_requirements_commitment = True
    confirms_improvement_commitment = True

    class Params:
        submitted = factory.Trait(status=Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now))
        approved = factory.Trait(
            status=Status.APPROVED,
            submitted_at=factory.LazyFunction(timezone.now),
            approval_signature=factory.SubFactory(SignatureFactory),
        )
        published = factory.Trait(
            status=Status.PUBLISHED,
            submitted_at=factory.LazyFunction(timezone.now),
            approval_signature=factory.SubFactory(SignatureFactory),
            published_at=factory.LazyFunction(timezone.now),
        )
        superseded = factory.Trait(
            status=Status.SUPERSEDED,
            submitted_at=factory.LazyFunction(timezone.now),
            approval_signature=factory.SubFactory(SignatureFactory),
            published_at=factory.LazyFunction(timezone.now),
            superseded_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def point_signature_here(self, create, extracted, **kwargs):
        # The signature was made before the version existed: point it at the version and its content.
        if create and self.approval_signature_id:
            Signature.objects.filter(pk=self.approval_signature_id).update(
                object_id=str(self.pk), content_sha256=content_hash(self.signed_content())
            )
            self.approval_signature.refresh_from_db()


class PolicyAcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyAcknowledgement

    person = factory.SubFactory(PersonFactory)
    version = factory.SubFactory(PolicyVersionFactory, published=True)
    acknowledged_at = factory.LazyFunction(timezone.now)


class PolicyShareLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyShareLink

    version = factory.SubFactory(PolicyVersionFactory, published=True)
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    label = "Company website"
    created_by = factory.SubFactory(UserFactory)


def draft_fields(**overrides) -> dict:
    """Everything a draft needs to be submitted: text, strategy and the four confirmations."""
    return {
        "title": "Quality policy",
        "text": POLICY_TEXT,
        "strategy_context": "Grow in aerospace and medical machining with zero-defect deliveries.",
        "change_summary": "",
        "confirms_purpose_and_strategy": True,
        "confirms_objectives_framework": True,
        "confirms_requirements_commitment": True,
        "confirms_improvement_commitment": True,
        **overrides,
    }


def approved_version(*, author, approver, **overrides) -> PolicyVersion:
    """A version taken through the services to approved: drafted, signed by its author, approved."""
    from leadership.services import policy as services
    from tests.conftest import PASSWORD

    if "change_summary" not in overrides and PolicyVersion.objects.exists():
        overrides["change_summary"] = "Reworded after the annual review."
    version = services.policy_version_create(actor=author, **draft_fields(**overrides))
    version = services.policy_version_submit(actor=author, version=version, password=PASSWORD)
    return services.policy_version_approve(actor=approver, version=version, password=PASSWORD)


def published_version(*, author, approver, **overrides) -> PolicyVersion:
    """A version taken through the services to published (the PDF task is not run)."""
    from leadership.services import policy as services

    version = approved_version(author=author, approver=approver, **overrides)
    return services.policy_version_publish(actor=author, version=version)
