"""An evidence pack whose worker is killed mid-build: no half-written file is served, and it can be asked again."""

import datetime
import os
import signal
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from evidence.models import EvidencePack
from evidence.services import packs as services
from evidence.tasks.packs import evidence_pack_fail_stale_task
from qms.models import OutboxMessage
from tests.evidence.test_clauses_factories import catalogue  # noqa: F401

pytestmark = pytest.mark.usefixtures("catalogue")

FAKE_PDF = b"%PDF-1.7\n" + b"0" * 4096 + b"\n%%EOF\n"


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so the build's own error handling never sees it."""


def ask(actor):
    today = timezone.localdate()
    return services.evidence_pack_request(
        actor=actor, period_start=today - datetime.timedelta(days=90), period_end=today
    )


def pack_path(pack) -> Path:
    return Path(default_storage.path(services._pack_file_name(pack)))


def test_a_build_killed_while_writing_the_pdf_ends_failed_with_nothing_served_and_can_be_asked_again(
    ceo, api_as, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now(), tick=False)
    with django_capture_on_commit_callbacks(execute=False):  # built by hand below
        pack = ask(ceo)
    monkeypatch.setattr(services, "render_pack", lambda pack, data: (FAKE_PDF, 3))

    def killed_while_writing(fd):
        raise Killed

    monkeypatch.setattr(services.os, "fsync", killed_while_writing)
    with pytest.raises(Killed):
        services.evidence_pack_build(pack_id=pack.pk)
    monkeypatch.undo()

    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.BUILDING
    final = pack_path(pack)
    partial = final.with_name(final.name + services.PARTIAL_SUFFIX)
    # Only the partial file exists; the pack's name holds nothing, and nothing is served.
    assert partial.exists()
    assert not final.exists()
    client = api_as(ceo)
    assert client.get(reverse("evidence-pack-download", args=[pack.pk])).status_code == 404

    # Until the hard time limit has passed, the build may still be running: it is left alone.
    time_machine.shift(datetime.timedelta(seconds=services.BUILD_TIME_LIMIT))
    assert evidence_pack_fail_stale_task.delay().get() == 0

    time_machine.shift(datetime.timedelta(seconds=services.STALE_MARGIN + 1))
    assert evidence_pack_fail_stale_task.delay().get() == 1
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.FAILED
    assert "stopped without finishing" in pack.error
    assert "Ask for the pack again" in pack.error
    assert not partial.exists()
    assert not final.exists()
    assert client.get(reverse("evidence-pack-download", args=[pack.pk])).status_code == 404

    # The user asks again and gets a new pack, which builds.
    response = client.post(
        reverse("evidence-pack-list"),
        {"period_start": str(pack.period_start), "period_end": str(pack.period_end)},
    )
    assert response.status_code == 201, response.content
    assert response.data["status"] == EvidencePack.Status.QUEUED


def test_a_pdf_write_killed_by_sigkill_leaves_nothing_under_the_final_name(tmp_path):
    """The file is written under a temporary name and renamed only once complete."""
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path)
    child = os.fork()
    if child == 0:  # the "worker": writes, then hangs before the rename until it is killed
        try:
            os.fsync = lambda fd: time.sleep(60)
            services._store_complete(storage, "packs/EP-2026-001.pdf", FAKE_PDF)
        finally:
            os._exit(0)
    partial = tmp_path / "packs" / "EP-2026-001.pdf.partial"
    for _ in range(200):
        if partial.exists() and partial.stat().st_size == len(FAKE_PDF):
            break
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    _, status = os.waitpid(child, 0)
    assert os.WIFSIGNALED(status)
    assert os.WTERMSIG(status) == signal.SIGKILL
    assert partial.exists()
    assert not (tmp_path / "packs" / "EP-2026-001.pdf").exists()

    # A build that is not killed moves the complete file into place.
    name = services._store_complete(storage, "packs/EP-2026-002.pdf", FAKE_PDF)
    assert storage.open(name).read() == FAKE_PDF
    assert not (tmp_path / "packs" / "EP-2026-002.pdf.partial").exists()


def test_a_queued_pack_whose_build_waits_in_the_outbox_is_not_given_up(
    broker_down, ceo, time_machine, django_capture_on_commit_callbacks
):
    """While the broker is down the pack waits; it is built when the relay sends its message."""
    time_machine.move_to(timezone.now(), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        pack = ask(ceo)
    assert OutboxMessage.objects.get().args == [pack.pk]

    time_machine.shift(datetime.timedelta(seconds=services.QUEUED_STALE_SECONDS + 60))
    assert services.evidence_pack_fail_stale() == 0
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.QUEUED

    # Sent, but no worker took it for that long: given up on, with the reason.
    OutboxMessage.objects.update(sent_at=timezone.now())
    assert services.evidence_pack_fail_stale() == 1
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.FAILED
