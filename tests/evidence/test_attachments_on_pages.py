"""Records of leadership and objectives carry their evidence files on their own pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence.services import attachment_add
from leadership.services import commitment as commitment_services
from tests.objectives.factories_objectives import ObjectiveFactory

pytestmark = pytest.mark.django_db


def test_commitment_entry_page_lists_its_files_and_offers_upload_to_those_who_may_add(client_as, ceo, mgmt_rep, qa):
    entry = commitment_services.commitment_record(
        actor=mgmt_rep,
        person=ceo.person,
        date=datetime.date(2026, 11, 1),
        description="Town hall",
        requirement_ids=["5.1.1.f"],
    )
    attachment_add(actor=mgmt_rep, record=entry, uploaded_file=SimpleUploadedFile("slides.txt", b"Town hall slides\n"))

    page = client_as(mgmt_rep).get(entry.get_absolute_url()).content.decode()
    assert "slides.txt" in page
    assert 'type="file"' in page

    page = client_as(qa).get(entry.get_absolute_url()).content.decode()
    assert "slides.txt" in page
    assert 'type="file"' not in page


def test_objective_page_shows_the_attachments_card(client_as, mgmt_rep):
    objective = ObjectiveFactory()

    page = client_as(mgmt_rep).get(objective.get_absolute_url()).content.decode()

    assert "Attachments" in page
