"""The controlled PDF of the policy and the shared renderer's URL fetcher (qms/pdf.py)."""

import hashlib
import shutil
import socket
import subprocess

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from weasyprint import HTML

from leadership.services import policy as services
from qms.pdf import FetchRefused, LocalFilesFetcher, render_pdf, resolve_local
from tests.leadership.factories_policy import approved_version, published_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ORGANISATION_NAME = "Northbridge Precision Components Ltd"
    return settings.MEDIA_ROOT


def pdf_text(content: bytes) -> str:
    """The text of a PDF, as poppler's pdftotext extracts it (Debian package poppler-utils)."""
    executable = shutil.which("pdftotext")
    assert executable, "pdftotext is missing: install the Debian package poppler-utils"
    result = subprocess.run(  # noqa: S603 - fixed executable, PDF on standard input
        [executable, "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


# The policy's PDF ------------------------------------------------------------------------------


def test_pdf_of_a_published_version_is_a_controlled_document(ceo, mgmt_rep):
    ceo.first_name, ceo.last_name = "Margaret", "Ellison"
    ceo.save()
    version = published_version(author=mgmt_rep, approver=ceo, title="Quality policy of Northbridge")

    assert services.policy_version_render_pdf(version_id=version.pk) is True

    version.refresh_from_db()
    content = version.pdf.read()
    assert content.startswith(b"%PDF")
    assert version.pdf_sha256 == hashlib.sha256(content).hexdigest()
    assert version.pdf.name.startswith("policy/")
    text = " ".join(pdf_text(content).split())
    assert "Northbridge Precision Components Ltd" in text
    assert "Quality policy of Northbridge" in text
    assert "Version 1" in text
    assert "Margaret Ellison, Managing Director" in text
    assert version.approval_signature.content_sha256 in text
    assert "Approved" in text
    assert "+0000" in text or "+0100" in text
    assert "Page 1 of" in text


def test_pdf_is_rendered_once_however_often_the_task_runs(ceo, mgmt_rep, media_root):
    version = published_version(author=mgmt_rep, approver=ceo)

    assert services.policy_version_render_pdf(version_id=version.pk) is True
    assert services.policy_version_render_pdf(version_id=version.pk) is False

    version.refresh_from_db()
    assert [p.name for p in (media_root / "policy").iterdir()] == [version.pdf.name.removeprefix("policy/")]


def test_no_pdf_is_rendered_for_a_version_that_was_never_published(ceo, mgmt_rep):
    version = approved_version(author=mgmt_rep, approver=ceo)

    assert services.policy_version_render_pdf(version_id=version.pk) is False
    version.refresh_from_db()
    assert not version.pdf


# The URL fetcher ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///static/../../../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/etc/passwd",
        "http://example.com/style.css",
        "https://example.com/logo.png",
        "ftp://example.com/file",
        "file://remote-host/static/css/print.css",
    ],
)
def test_fetcher_refuses_other_local_files_and_the_network(url):
    with pytest.raises(FetchRefused):
        LocalFilesFetcher().fetch(url)


def test_fetcher_refuses_a_project_file_outside_static_and_media(settings):
    with pytest.raises(FetchRefused):
        resolve_local((settings.BASE_DIR / "pyproject.toml").as_uri())


def test_fetcher_serves_static_files_and_media(settings, media_root):
    media_root.mkdir(parents=True)
    (media_root / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")

    css = LocalFilesFetcher().fetch("file:///static/css/print.css")
    logo = LocalFilesFetcher().fetch((media_root / "logo.svg").as_uri())

    assert b"@page" in css.read()
    assert css.content_type == "text/css"
    assert logo.content_type == "image/svg+xml"


def test_rendering_never_opens_a_network_connection(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = (
        '<link rel="stylesheet" href="http://example.com/evil.css">'
        '<img src="https://example.com/track.png"><img src="file:///etc/passwd"><p>Safe text</p>'
    )

    content = HTML(string=html, base_url="file:///", url_fetcher=LocalFilesFetcher()).write_pdf()

    assert "Safe text" in pdf_text(content)
    assert "root:" not in pdf_text(content)


def test_render_pdf_uses_the_print_stylesheet_and_organisation_name(settings):
    content = render_pdf("pdf/base.html", {})

    text = pdf_text(content)
    assert "Northbridge Precision Components Ltd" in text
    assert "Page 1 of 1" in text


def test_print_stylesheet_is_found_under_its_hashed_name_after_collectstatic(settings, tmp_path):
    """Production serves static files by hashed names from STATIC_ROOT; the PDF must still get its styles."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    # Only the project's own stylesheets, to keep collectstatic quick.
    settings.STATICFILES_DIRS = [("css", settings.BASE_DIR / "static" / "css")]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.DEBUG = False
    call_command("collectstatic", "--noinput", verbosity=0)
    assert static("css/print.css") != "/static/css/print.css"
    text = pdf_text(render_pdf("pdf/base.html", {}))

    assert "Page 1 of 1" in text
