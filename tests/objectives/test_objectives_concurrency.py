"""Two people editing the same objective: the second save is refused with what changed, nothing typed is lost."""

import pytest
from concurrency.exceptions import RecordModifiedError
from django.db import transaction
from django.urls import reverse

from objectives.models import Objective
from objectives.services import objectives as services
from qms.concurrency import EditConflict
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.objectives.test_objectives_views import form_data

pytestmark = pytest.mark.django_db


def edit_url(objective):
    return reverse("objectives:objective-update", args=[objective.pk])


def api_url(objective):
    return reverse("objective-detail", args=[objective.pk])


# Services -------------------------------------------------------------------------------------


def test_every_save_moves_the_version_on(mgmt_rep):
    objective = ObjectiveFactory()
    assert objective.version == 1
    services.objective_update(actor=mgmt_rep, objective=objective, title="Defects at most 2%")
    services.objective_update(actor=mgmt_rep, objective=objective, description="Scrap and rework.")
    assert Objective.objects.get(pk=objective.pk).version == 3


def test_an_edit_on_a_version_someone_saved_over_is_refused_naming_the_change(mgmt_rep, ceo):
    objective = ObjectiveFactory(title="Defects at most 2%")
    opened = objective.version
    services.objective_update(
        actor=ceo, objective=objective, expected_version=opened, title="Defective parts at most 2% of output"
    )

    with pytest.raises(EditConflict) as caught:
        services.objective_update(
            actor=mgmt_rep, objective=objective, expected_version=opened, strategic_theme="Zero defects"
        )

    conflict = caught.value
    assert conflict.changes == [
        {"field": "title", "label": "Title", "was": "Defects at most 2%", "now": "Defective parts at most 2% of output"}
    ]
    assert conflict.changed_by == [ceo.get_full_name()]
    assert conflict.current_version == opened + 1
    assert ceo.get_full_name() in conflict.message
    assert "(Title)" in conflict.message
    saved = Objective.objects.get(pk=objective.pk)
    assert saved.strategic_theme == "Right first time"
    assert saved.title == "Defective parts at most 2% of output"


def test_an_edit_on_the_current_version_or_without_a_version_goes_through(mgmt_rep):
    objective = ObjectiveFactory()
    services.objective_update(actor=mgmt_rep, objective=objective, expected_version=1, title="A")
    services.objective_update(actor=mgmt_rep, objective=objective, title="B")
    assert Objective.objects.get(pk=objective.pk).title == "B"


def test_two_saves_from_the_same_stale_copy_cannot_both_win():
    objective = ObjectiveFactory()
    first, second = Objective.objects.get(pk=objective.pk), Objective.objects.get(pk=objective.pk)
    first.title = "First"
    first.save()
    second.title = "Second"
    with pytest.raises(RecordModifiedError), transaction.atomic():
        second.save()
    assert Objective.objects.get(pk=objective.pk).title == "First"


# The edit page --------------------------------------------------------------------------------


def test_the_edit_page_sends_the_version_it_shows(client_as, mgmt_rep):
    objective = ObjectiveFactory()
    page = client_as(mgmt_rep).get(edit_url(objective))
    assert page.context["form"]["version"].value() == objective.version
    assert 'name="version"' in page.text


def test_the_second_save_comes_back_with_the_users_input_beside_the_current_values(client, mgmt_rep, ceo):
    objective = ObjectiveFactory(title="Defects at most 2%")
    # Both open the page on the same version.
    opened = {**form_data(objective), "version": str(objective.version)}
    client.force_login(ceo)
    assert client.post(edit_url(objective), {**opened, "title": "Defective parts at most 2%"}).status_code == 302

    client.force_login(mgmt_rep)
    mine = {**opened, "title": "Defects below 2% in every month", "strategic_theme": "Zero defects"}
    response = client.post(edit_url(objective), mine)

    assert response.status_code == 409
    form = response.context["form"]
    assert "changed by" in " ".join(form.non_field_errors())
    # What the user typed is still in the form...
    assert form["title"].value() == "Defects below 2% in every month"
    assert form["strategic_theme"].value() == "Zero defects"
    # ...beside what was there when they opened it and what is saved now.
    rows = {row["field"]: row for row in response.context["edit_conflict"]}
    assert rows["title"]["was"] == "Defects at most 2%"
    assert rows["title"]["now"] == "Defective parts at most 2%"
    assert rows["title"]["yours"] == "Defects below 2% in every month"
    assert "Defective parts at most 2%" in response.text
    assert Objective.objects.get(pk=objective.pk).title == "Defective parts at most 2%"

    # Saving again, having seen the other change, keeps the user's values on purpose.
    assert form["version"].value() == objective.version + 1
    again = client.post(edit_url(objective), {**mine, "version": str(form["version"].value())})
    assert again.status_code == 302
    assert Objective.objects.get(pk=objective.pk).title == "Defects below 2% in every month"


# The API --------------------------------------------------------------------------------------


def test_the_detail_answer_carries_the_version_as_etag(api_as, mgmt_rep):
    objective = ObjectiveFactory()
    response = api_as(mgmt_rep).get(api_url(objective))
    assert response.status_code == 200
    assert response["ETag"] == 'W/"1"'
    assert response.json()["version"] == 1


def test_a_patch_on_a_stale_etag_is_412_naming_what_changed(api_as, mgmt_rep, ceo):
    objective = ObjectiveFactory(title="Defects at most 2%")
    etag = api_as(mgmt_rep).get(api_url(objective))["ETag"]
    assert api_as(ceo).patch(api_url(objective), {"title": "Scrap at most 2%"}, HTTP_IF_MATCH=etag).status_code == 200

    response = api_as(mgmt_rep).patch(api_url(objective), {"strategic_theme": "Zero defects"}, HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    body = response.json()
    assert body["current_version"] == 2
    assert body["your_version"] == 1
    assert body["changes"] == [
        {"field": "title", "label": "Title", "was": "Defects at most 2%", "now": "Scrap at most 2%"}
    ]
    assert "changed by" in body["detail"]
    assert Objective.objects.get(pk=objective.pk).strategic_theme == "Right first time"


def test_a_write_on_the_current_etag_answers_with_the_next_one(api_as, mgmt_rep):
    objective = ObjectiveFactory()
    data = {"title": "Scrap at most 2%", "category": objective.category, "owner": objective.owner_id}
    response = api_as(mgmt_rep).put(api_url(objective), data, HTTP_IF_MATCH='W/"1"', format="json")
    assert response.status_code == 200, response.json()
    assert response["ETag"] == 'W/"2"'


def test_a_write_without_if_match_goes_through(api_as, mgmt_rep, ceo):
    objective = ObjectiveFactory()
    api_as(ceo).patch(api_url(objective), {"title": "Scrap at most 2%"})
    response = api_as(mgmt_rep).patch(api_url(objective), {"strategic_theme": "Zero defects"})
    assert response.status_code == 200
    assert Objective.objects.get(pk=objective.pk).strategic_theme == "Zero defects"


def test_an_if_match_that_is_no_etag_is_a_400_naming_the_header(api_as, mgmt_rep):
    objective = ObjectiveFactory()
    response = api_as(mgmt_rep).patch(api_url(objective), {"title": "X"}, HTTP_IF_MATCH="yesterday")
    assert response.status_code == 400
    assert "ETag" in response.json()["If-Match"][0]
    assert Objective.objects.get(pk=objective.pk).version == 1
