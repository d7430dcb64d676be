"""Factories of the evidence pack tests (no tests of its own)."""

import datetime
import hashlib

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from evidence.models import EvidencePack
from tests.leadership.factories import UserFactory

FAKE_PDF = b"%PDF-1.7\n% a stand-in for a built pack\n%%EOF\n"


class EvidencePackFactory(factory.django.DjangoModelFactory):
    """A queued pack of the last twelve months, written straight to the table."""

    class Meta:
        model = EvidencePack

    reference = factory.Sequence(lambda n: f"EP-{timezone.localdate().year}-{n + 100:03d}")
    requested_by = factory.SubFactory(UserFactory)
    period_end = factory.LazyFunction(lambda: timezone.localdate())
    period_start = factory.LazyAttribute(lambda p: p.period_end - datetime.timedelta(days=364))
    status = EvidencePack.Status.QUEUED


def ready_pack(**fields) -> EvidencePack:
    """A ready pack whose file is a small stand-in PDF."""
    pack = EvidencePackFactory(
        status=EvidencePack.Status.READY,
        sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
        size=len(FAKE_PDF),
        page_count=1,
        progress=100,
        finished_at=timezone.now(),
        **fields,
    )
    pack.file.save(f"{pack.reference}.pdf", ContentFile(FAKE_PDF), save=True)
    return pack
