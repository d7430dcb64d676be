"""Attachments: who may upload and download, which files are accepted, and what is stored."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from evidence.models import Attachment
from evidence.services import attachment_add, sanitise_filename
from tests.leadership.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
ELF_BYTES = b"\x7fELF\x02\x01\x01" + b"\x00" * 120
PE_BYTES = b"MZ\x90\x00\x03" + b"\x00" * 120
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _post(client, department, name, content, **extra):
    data = {
        "content_type_id": ContentType.objects.get_for_model(department).pk,
        "object_id": department.pk,
        "file": _upload(name, content),
        "description": "Signed minutes",
        **extra,
    }
    return client.post(reverse("evidence:attachment-upload"), data)


@pytest.fixture
def department(db):
    return DepartmentFactory()


# Who may upload -----------------------------------------------------------------------------


def test_user_who_may_change_the_record_attaches_a_file(client_as, mgmt_rep, department):
    response = _post(client_as(mgmt_rep), department, "minutes.pdf", PDF_BYTES)

    assert response.status_code == 302
    assert response.url == department.get_absolute_url()
    attachment = Attachment.objects.get()
    assert attachment.record == department
    assert attachment.original_name == "minutes.pdf"
    assert attachment.content_type_detected == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.description == "Signed minutes"
    assert attachment.uploaded_by == mgmt_rep
    assert attachment.history.get().history_user == mgmt_rep


def test_upload_redirects_to_a_relative_next_url_only(client_as, mgmt_rep, department):
    client = client_as(mgmt_rep)
    assert _post(client, department, "a.pdf", PDF_BYTES, next="/leadership/").url == "/leadership/"
    assert _post(client, department, "b.pdf", PDF_BYTES, next="https://evil.example/").url == (
        department.get_absolute_url()
    )
    assert _post(client, department, "c.pdf", PDF_BYTES, next="//evil.example/").url == department.get_absolute_url()


def test_user_who_may_not_change_the_record_cannot_attach(client_as, employee, department):
    response = _post(client_as(employee), department, "minutes.pdf", PDF_BYTES)

    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_service_refuses_an_actor_without_add_or_change_permission(employee, department):
    with pytest.raises(PermissionDenied):
        attachment_add(actor=employee, record=department, uploaded_file=_upload("a.pdf", PDF_BYTES))
    assert not Attachment.objects.exists()


def test_upload_for_an_unknown_record_is_404(client_as, mgmt_rep, department):
    data = {
        "content_type_id": ContentType.objects.get_for_model(department).pk,
        "object_id": department.pk + 999,
        "file": _upload("a.pdf", PDF_BYTES),
    }
    assert client_as(mgmt_rep).post(reverse("evidence:attachment-upload"), data).status_code == 404


def test_upload_requires_post(client_as, mgmt_rep):
    assert client_as(mgmt_rep).get(reverse("evidence:attachment-upload")).status_code == 405


# Who may download ---------------------------------------------------------------------------


@pytest.fixture
def attachment(mgmt_rep, department):
    return attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("Plan ü.pdf", PDF_BYTES))


def test_user_who_may_view_the_record_downloads_the_attachment(client_as, employee, attachment):
    response = client_as(employee).get(reverse("evidence:attachment-download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Plan%20%C3%BC.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_outsider_cannot_download(client_as, outsider, attachment):
    response = client_as(outsider).get(reverse("evidence:attachment-download", args=[attachment.pk]))
    assert response.status_code == 403


def test_anonymous_download_is_sent_to_login(client, attachment):
    response = client.get(reverse("evidence:attachment-download", args=[attachment.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_unknown_attachment_is_404(client_as, auditor):
    assert client_as(auditor).get(reverse("evidence:attachment-download", args=[424242])).status_code == 404


# Which files are accepted -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "what"),
    [(HTML_BYTES, "HTML document"), (ELF_BYTES, "ELF executable"), (PE_BYTES, "Windows program")],
)
def test_wrong_content_behind_a_pdf_name_is_refused(client_as, mgmt_rep, department, content, what):
    client = client_as(mgmt_rep)
    response = _post(client, department, "report.pdf", content)

    assert response.status_code == 302
    message = next(str(m) for m in response.wsgi_request._messages)
    assert "The file report.pdf is not a PDF: its content is" in message
    assert what in message
    assert not Attachment.objects.exists()


def test_service_names_the_file_field_for_wrong_content(mgmt_rep, department):
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("photo.png", PDF_BYTES))
    assert excinfo.value.message_dict["file"] == ["The file photo.png is not a PNG image: its content is a PDF."]


def test_html_named_as_text_is_refused(mgmt_rep, department):
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("notes.txt", HTML_BYTES))
    assert "is not a text file" in excinfo.value.message_dict["file"][0]


def test_extension_outside_the_allow_list_is_refused(mgmt_rep, department):
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("tool.exe", PE_BYTES))
    assert "Files of type .exe are not accepted" in excinfo.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


def test_file_over_the_size_limit_is_refused_naming_the_limit(settings, mgmt_rep, department):
    settings.CLAUSE5_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("big.pdf", PDF_BYTES + b"0" * 2000))
    assert "the largest file accepted is 1.0\xa0KB" in excinfo.value.message_dict["file"][0]
    assert not Attachment.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "attachments").exists()


def test_empty_file_is_refused(mgmt_rep, department):
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("empty.txt", b""))
    assert "empty" in excinfo.value.message_dict["file"][0]


def test_csv_is_accepted(mgmt_rep, department):
    content = "Month,Complaints\nJan,3\nFeb,1\nMär,0\n".encode()
    attachment = attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("figures.csv", content))
    assert attachment.content_type_detected == "text/csv"


def test_csv_starting_like_a_weak_binary_signature_is_accepted(mgmt_rep, department):
    # "BM" is how bitmaps start: text must still be judged as text.
    attachment = attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("bm.csv", b"BM,1\nBN,2\n"))
    assert attachment.content_type_detected == "text/csv"


def test_text_with_nul_bytes_or_bad_utf8_is_refused(mgmt_rep, department):
    for content in (b"a,b\n\x00\x00", b"a,b\n\xff\xfe"):
        with pytest.raises(ValidationError):
            attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("x.csv", content))
    assert not Attachment.objects.exists()


def test_docx_is_accepted(mgmt_rep, department):
    attachment = attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("minutes.docx", _docx_bytes()))
    assert attachment.content_type_detected == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_docx_that_is_a_plain_zip_is_refused(mgmt_rep, department):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("m.docx", buffer.getvalue()))
    assert "is not a Word document: its content is a ZIP archive" in excinfo.value.message_dict["file"][0]


def test_legacy_office_file_is_accepted_by_its_ole2_signature(mgmt_rep, department):
    content = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    attachment = attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("old.xls", content))
    assert attachment.content_type_detected == "application/vnd.ms-excel"


def test_png_is_accepted(mgmt_rep, department):
    attachment = attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("board.PNG", PNG_BYTES))
    assert attachment.content_type_detected == "image/png"


# What is stored -----------------------------------------------------------------------------


def test_sha256_stored_is_the_hash_of_the_bytes(mgmt_rep, department):
    attachment = attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("minutes.pdf", PDF_BYTES))
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES


def test_path_traversal_name_is_reduced_to_its_base_name(mgmt_rep, department):
    attachment = attachment_add(
        actor=mgmt_rep, record=department, uploaded_file=_upload("../../etc/passwd.txt", b"root:x:0:0\n")
    )

    assert attachment.original_name == "passwd.txt"
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to((Path(settings.MEDIA_ROOT) / "attachments").resolve())
    assert "passwd" not in attachment.file.name


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("..\\..\\windows\\report.pdf", "report.pdf"),
        ("min\x00ut\x1bes\u202e.pdf", "minutes.pdf"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_original_name_is_sanitised(uploaded, kept):
    assert sanitise_filename(uploaded) == kept


def test_stored_name_is_random_and_never_the_users(mgmt_rep, department):
    first = attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("same.pdf", PDF_BYTES))
    second = attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload("same.pdf", PDF_BYTES))
    assert first.file.name != second.file.name
    assert first.file.name.startswith("attachments/")
    assert "same" not in first.file.name


# The template tag ---------------------------------------------------------------------------


def _render(user, record):
    request = RequestFactory().get("/leadership/departments/1/")
    request.user = user
    template = Template("{% load evidence_tags %}{% attachments_for record %}")
    return template.render(Context({"request": request, "record": record, "csrf_token": "tok"}))


def test_tag_lists_attachments_and_offers_upload_to_those_who_may_add(mgmt_rep, department, attachment):
    html = _render(mgmt_rep, department)
    assert reverse("evidence:attachment-download", args=[attachment.pk]) in html
    assert f'title="{attachment.sha256}"' in html
    assert reverse("evidence:attachment-upload") in html
    assert 'name="file"' in html


def test_tag_lists_without_upload_form_for_readers(employee, department, attachment):
    html = _render(employee, department)
    assert attachment.original_name in html
    assert reverse("evidence:attachment-upload") not in html


def test_tag_shows_nothing_to_outsiders(outsider, department, attachment):
    assert "Attachments" not in _render(outsider, department)


def test_tag_lists_with_one_query_whatever_the_number_of_files(mgmt_rep, department, django_assert_num_queries):
    for i in range(3):
        attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload(f"{i}.pdf", PDF_BYTES))
    _render(mgmt_rep, department)  # warms the permission and content-type caches
    # One query: the attachments with their uploaders.
    with django_assert_num_queries(1):
        _render(mgmt_rep, department)
    for i in range(27):
        attachment_add(actor=mgmt_rep, record=department, uploaded_file=_upload(f"x{i}.pdf", PDF_BYTES))
    with django_assert_num_queries(1):
        _render(mgmt_rep, department)
