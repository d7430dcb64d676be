"""An external auditor signs in, opens the readiness page, asks for an evidence pack and reads the PDF."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence.models import DownloadLog, EvidencePack
from tests.conftest import PASSWORD
from tests.evidence.factories_access import AuditorAccessFactory, auditor_account
from tests.evidence.test_clauses_factories import load_catalogue, one_of_each_kind

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_text(path) -> str:
    executable = shutil.which("pdftotext")
    assert executable, "pdftotext is missing: install the Debian package poppler-utils"
    return subprocess.run(  # noqa: S603 - fixed executable, file written by the test
        [executable, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_an_auditor_downloads_an_evidence_pack_from_the_readiness_page(browser, live_server, tmp_path, settings):
    settings.ORGANISATION_NAME = "Northbridge Precision Components Ltd"
    load_catalogue()
    one_of_each_kind()
    user = auditor_account(username="c.dubois")
    today = timezone.localdate()
    AuditorAccessFactory(
        user=user, valid_from=today - datetime.timedelta(days=30), valid_until=today + datetime.timedelta(days=30)
    )

    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        # Through the login form, as the auditor would.
        page.goto(live_server.url + reverse("evidence:readiness"))
        page.wait_for_url(re.compile(r".*/accounts/login/.*"))
        page.fill("input[name=username]", "c.dubois")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + reverse("evidence:readiness"))
        page.get_by_role("heading", name="Audit readiness").wait_for()
        assert re.fullmatch(r"\d+%", page.get_by_test_id("overall-score").inner_text())

        page.get_by_role("link", name="Ask for an evidence pack").click()
        page.wait_for_url(live_server.url + reverse("evidence:pack-create"))
        page.get_by_label("The last 12 months").check()
        # Celery runs eagerly in tests: the pack is built before the page answers.
        page.get_by_role("button", name="Build the pack").click(timeout=120_000)

        pack = EvidencePack.objects.get()
        page.wait_for_url(live_server.url + reverse("evidence:pack-detail", args=[pack.pk]))
        download_link = page.get_by_role("link", name=f"Download {pack.reference}.pdf")
        download_link.wait_for(timeout=60_000)
        with page.expect_download() as info:
            download_link.click()
        download = info.value
        assert download.suggested_filename == f"{pack.reference}.pdf"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
    finally:
        context.close()

    text = pdf_text(path)
    pages = text.split("\f")
    assert "Northbridge Precision Components Ltd" in pages[0]
    assert pack.reference in pages[0]
    assert "Claire Dubois" in pages[0]
    flat = " ".join(text.split())
    for heading in (
        "5.1.1 Leadership and commitment",
        "5.2 Quality policy",
        "5.3 Organizational roles, responsibilities and authorities",
        "6.2 Quality objectives",
        "9.3 Management review",
        "Gap list",
    ):
        assert heading in flat, heading
    log = DownloadLog.objects.get()
    assert (log.user, log.file_name) == (user, f"{pack.reference}.pdf")
