"""Two recorders typing under the same agenda item: the second save is refused, and neither text is lost."""

import pytest
from django.urls import reverse

from qms.concurrency import EditConflict
from reviews.models.meetings import AgendaItem
from reviews.services import minutes as services
from tests.reviews.factories_minutes import held_meeting

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def item(ceo):
    return held_meeting(chair=ceo, items=1).agenda_items.get()


def autosave(client, item, minutes, version):
    return client.post(
        reverse("reviews:agenda-item-minutes", args=[item.pk]), {"minutes": minutes, "version": version}, **HTMX
    )


# Service ---------------------------------------------------------------------------------------


def test_minutes_based_on_a_version_another_recorder_saved_over_are_refused(item, qa, mgmt_rep):
    opened = item.version
    services.agenda_item_minutes_save(actor=qa, item=item, minutes="Scrap 2.1%.", expected_version=opened)

    with pytest.raises(EditConflict) as caught:
        services.agenda_item_minutes_save(actor=mgmt_rep, item=item, minutes="Scrap down.", expected_version=opened)

    assert caught.value.record.minutes == "Scrap 2.1%."
    assert caught.value.changes == [{"field": "minutes", "label": "Minutes", "was": "", "now": "Scrap 2.1%."}]
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Scrap 2.1%."


def test_a_recorders_own_earlier_save_is_no_conflict(item, qa):
    """An autosave whose answer was lost is retried on the version before it: that must still save."""
    opened = item.version
    services.agenda_item_minutes_save(actor=qa, item=item, minutes="Scrap", expected_version=opened)
    services.agenda_item_minutes_save(actor=qa, item=item, minutes="Scrap 2.1%.", expected_version=opened)
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Scrap 2.1%."


def test_the_same_text_as_saved_is_no_conflict(item, qa, mgmt_rep):
    opened = item.version
    services.agenda_item_minutes_save(actor=qa, item=item, minutes="Agreed.", expected_version=opened)
    saved = services.agenda_item_minutes_save(actor=mgmt_rep, item=item, minutes="Agreed.", expected_version=opened)
    assert saved.version == opened + 1


# The recording page's autosave ------------------------------------------------------------------


def test_the_recording_page_gives_each_item_its_version(client_as, item, qa):
    page = client_as(qa).get(reverse("reviews:meeting-record", args=[item.meeting_id]))
    assert f'data-version="{item.version}"' in page.text


def test_a_saved_autosave_answers_with_the_version_to_send_next(client_as, item, qa):
    response = autosave(client_as(qa), item, "Scrap 2.1%.", item.version)
    assert response.status_code == 200
    assert response["ETag"] == f'W/"{item.version + 1}"'


def test_the_second_recorders_autosave_is_409_with_the_other_text(client, item, qa, mgmt_rep):
    opened = item.version
    client.force_login(qa)
    assert autosave(client, item, "Scrap 2.1% against a 2.5% target.", opened).status_code == 200

    client.force_login(mgmt_rep)
    response = autosave(client, item, "Scrap is down.", opened)

    assert response.status_code == 409
    text = response.content.decode()
    assert "Not saved:" in text
    assert qa.get_full_name() in text
    assert "Scrap 2.1% against a 2.5% target." in text
    assert f'data-c5-version="{opened + 1}"' in text
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Scrap 2.1% against a 2.5% target."

    # Keeping one's own text, having seen the other: sent on the version the conflict named.
    assert autosave(client, item, "Scrap is down.", opened + 1).status_code == 200
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Scrap is down."


def test_an_autosave_with_a_version_that_is_no_number_is_400(client_as, item, qa):
    response = autosave(client_as(qa), item, "Scrap", "latest")
    assert response.status_code == 400
    assert "Not saved" in response.content.decode()
    assert AgendaItem.objects.get(pk=item.pk).minutes == ""


# The API ---------------------------------------------------------------------------------------


def test_a_put_on_a_stale_etag_is_412_with_the_minutes_now_saved(api_as, item, qa, mgmt_rep):
    url = f"/api/agenda-items/{item.pk}/minutes/"
    read = api_as(qa).get(url)
    assert read.status_code == 200
    etag = read["ETag"]
    assert api_as(qa).put(url, {"minutes": "Scrap 2.1%."}, HTTP_IF_MATCH=etag).status_code == 200

    response = api_as(mgmt_rep).put(url, {"minutes": "Scrap down."}, HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert response.json()["changes"] == [{"field": "minutes", "label": "Minutes", "was": "", "now": "Scrap 2.1%."}]
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Scrap 2.1%."
    # Without If-Match the write goes through.
    assert api_as(mgmt_rep).put(url, {"minutes": "Scrap down."}).status_code == 200


def test_the_meetings_minutes_carry_each_items_version(api_as, item, auditor):
    items = api_as(auditor).get(f"/api/meetings/{item.meeting_id}/minutes/").json()["agenda_items"]
    assert items[0]["version"] == item.version
