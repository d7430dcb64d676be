"""Asking for an evidence pack, building it in the background, and what happens when building fails."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from evidence.models import EvidencePack, IssuedDocument
from evidence.services import packs as services
from qms.exceptions import ApplicationError
from tests.evidence.factories_packs import EvidencePackFactory
from tests.evidence.test_clauses_factories import catalogue  # noqa: F401
from tests.leadership.factories import DepartmentFactory

pytestmark = pytest.mark.usefixtures("catalogue")


def last_year():
    today = timezone.localdate()
    return today - datetime.timedelta(days=364), today


def ask(actor, **kwargs):
    start, end = last_year()
    return services.evidence_pack_request(actor=actor, **{"period_start": start, "period_end": end, **kwargs})


def test_request_queues_a_pack_under_the_next_reference_with_its_parameters(mgmt_rep):
    """The pack gets EP-<year>-NNN, the items in catalogue order, the departments, and the actor in its history."""
    department = DepartmentFactory()
    pack = ask(mgmt_rep, clause_ids=["5.2.1.b", "5.1.1.a"], departments=[department.pk])
    assert pack.reference == f"EP-{timezone.localdate().year}-001"
    assert pack.status == EvidencePack.Status.QUEUED
    assert pack.clause_ids == ["5.1.1.a", "5.2.1.b"]
    assert list(pack.departments.all()) == [department]
    assert pack.requested_by == mgmt_rep
    assert pack.history.first().history_user == mgmt_rep
    other = EvidencePackFactory(reference=f"EP-{timezone.localdate().year}-100", status="ready", sha256="a" * 64)
    assert ask(other.requested_by).reference == f"EP-{timezone.localdate().year}-101"


@pytest.mark.parametrize(
    ("start_offset", "end_offset", "field", "words"),
    [
        (-10, 1, "period_end", "cannot end in the future"),
        (-(3 * 366), 0, "period_start", "at most 3 years"),
        (0, -5, "period_start", "on or before the day it ends"),
    ],
)
def test_request_refuses_a_bad_period_naming_the_field(ceo, start_offset, end_offset, field, words):
    """A period ending in the future, longer than three years, or backwards is refused, and nothing is saved."""
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.evidence_pack_request(
            actor=ceo,
            period_start=today + datetime.timedelta(days=start_offset),
            period_end=today + datetime.timedelta(days=end_offset),
        )
    assert words in " ".join(exc.value.message_dict[field])
    assert not EvidencePack.objects.exists()


def test_request_refuses_unknown_items_and_departments(ceo):
    """Every unknown requirement id and department id is named."""
    with pytest.raises(ValidationError) as exc:
        ask(ceo, clause_ids=["5.1.1.a", "4.4.z"], departments=[999999])
    assert "4.4.z" in exc.value.message_dict["clause_ids"][0]
    assert "999999" in exc.value.message_dict["departments"][0]
    assert not EvidencePack.objects.exists()


def test_a_user_has_one_pack_in_the_making_at_a_time(ceo):
    """A second request while the first is queued is refused, naming the first."""
    first = ask(ceo)
    with pytest.raises(ApplicationError, match=first.reference):
        ask(ceo)
    EvidencePack.objects.filter(pk=first.pk).update(status="failed")
    assert ask(ceo).reference != first.reference


def test_at_most_the_configured_number_of_packs_are_queued(settings, ceo, mgmt_rep, auditor):
    """CLAUSE5_EVIDENCE_PACK_MAX_QUEUED caps the packs queued or building over all users."""
    settings.CLAUSE5_EVIDENCE_PACK_MAX_QUEUED = 2
    ask(ceo)
    ask(mgmt_rep)
    with pytest.raises(ApplicationError, match="2 packs are being built"):
        ask(auditor)


def test_request_dispatches_the_build_after_commit(ceo, django_capture_on_commit_callbacks, monkeypatch):
    """The task is sent only once the request is committed, with the pack's id."""
    sent = []
    monkeypatch.setattr("evidence.tasks.packs.evidence_pack_build_task.delay", sent.append)
    with django_capture_on_commit_callbacks() as callbacks:
        pack = ask(ceo)
        assert sent == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert sent == [pack.pk]


def test_build_stores_the_pdf_with_its_hash_and_registers_it(ceo, django_capture_on_commit_callbacks):
    """Queued -> building -> ready: file, size, SHA-256, pages, and an issued document with the same hash."""
    with django_capture_on_commit_callbacks(execute=True):
        pack = ask(ceo, clause_ids=["5.2.1.a"])
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.READY, pack.error
    content = pack.file.read()
    assert content.startswith(b"%PDF-")
    assert pack.size == len(content)
    assert pack.page_count >= 5
    assert pack.progress == 100
    assert pack.started_at <= pack.finished_at
    issued = IssuedDocument.objects.get()
    assert (issued.kind, issued.sha256, issued.record, issued.issued_to) == ("pack", pack.sha256, pack, ceo)
    statuses = [h.status for h in pack.history.order_by("history_date", "history_id")]
    assert statuses == ["queued", "building", "ready"]


def test_build_runs_once(ceo):
    """A duplicated task finds the pack claimed (or built) and does nothing."""
    pack = EvidencePackFactory(requested_by=ceo, status=EvidencePack.Status.BUILDING)
    assert services.evidence_pack_build(pack_id=pack.pk) is False
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.BUILDING


def test_a_failed_build_leaves_no_file_and_says_why(ceo, settings, monkeypatch):
    """An error after the file was stored marks the pack failed, with the reason in words, and removes the file."""
    pack = EvidencePackFactory(requested_by=ceo)

    def disk_full(**kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("evidence.services.packs.render_pack", lambda pack, data: (b"%PDF-1.7 test", 1))
    monkeypatch.setattr("evidence.services.packs.document_issue", disk_full)
    assert services.evidence_pack_build(pack_id=pack.pk) is False
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.FAILED
    assert "could not be stored (No space left on device)" in pack.error
    assert not pack.file
    assert not pack.sha256
    assert not IssuedDocument.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_build_that_takes_too_long_fails_in_words(ceo, monkeypatch):
    """The soft time limit ends the build with advice, not a stack trace."""
    from celery.exceptions import SoftTimeLimitExceeded

    pack = EvidencePackFactory(requested_by=ceo)

    def slow(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr("evidence.services.packs.pack_data", slow)
    assert services.evidence_pack_build(pack_id=pack.pk) is False
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.FAILED
    assert f"longer than the {services.BUILD_SOFT_TIME_LIMIT} seconds" in pack.error


def test_stalled_packs_are_marked_failed(ceo, time_machine):
    """A pack left building past the hard time limit (killed worker) is failed, and its user may ask again."""
    stalled = EvidencePackFactory(requested_by=ceo, status=EvidencePack.Status.BUILDING)
    recent = EvidencePackFactory(status=EvidencePack.Status.QUEUED)
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=1))
    EvidencePack.objects.filter(pk=recent.pk).update(updated_at=timezone.now())
    assert services.evidence_pack_fail_stale() == 1
    stalled.refresh_from_db()
    assert stalled.status == EvidencePack.Status.FAILED
    assert "stopped without finishing" in stalled.error
    assert ask(ceo).status == EvidencePack.Status.QUEUED
