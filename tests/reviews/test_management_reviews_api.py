"""The management review API: list, read, prepare, compile, freeze, conclude, outputs, sign; input sections."""

import datetime

import pytest
import time_machine

from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import Decision
from tests.conftest import PASSWORD
from tests.leadership.factories import PersonFactory
from tests.reviews.factories_management_reviews import (
    CONCLUSIONS,
    ManagementReviewFactory,
    ReviewMeetingTypeFactory,
    hold,
    make_ready,
    prepare,
    review_input,
)

pytestmark = pytest.mark.django_db

Item = ReviewInput.Item
LIST = "/api/management-reviews/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def detail(review) -> str:
    return f"/api/management-reviews/{review.pk}/"


def act(review, name) -> str:
    return f"/api/management-reviews/{review.pk}/{name}/"


def section(review_input) -> str:
    return f"/api/review-inputs/{review_input.pk}/"


# Reading ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"])
def test_readers_list_and_read_reviews_with_inputs_and_outputs(request, api_as, ceo, persona):
    review = prepare(ceo)
    client = api_as(request.getfixturevalue(persona))

    listed = client.get(LIST)
    assert listed.status_code == 200
    assert listed.json()["results"][0]["meeting_reference"] == review.meeting.reference

    body = client.get(detail(review)).json()
    assert [i["item"] for i in body["inputs"]] == Item.values
    assert body["inputs"][0]["data"]["period"] == {"start": "2025-03-01", "end": "2026-02-28"}
    assert body["outputs"] == []
    assert body["readiness"]["ready"] is False
    assert body["signature"] is None
    assert body["signature_intact"] is None
    assert client.get(section(review_input(review, Item.RISKS))).status_code == 200


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_others_may_not_read(request, api_as, ceo, persona):
    review = prepare(ceo)
    client = api_as(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(detail(review)).status_code == 403
    assert client.get(section(review_input(review, Item.RISKS))).status_code == 403


def test_anonymous_callers_are_refused(api_client, ceo):
    review = prepare(ceo)
    assert api_client.get(LIST).status_code == 401
    assert api_client.get(section(review_input(review, Item.RISKS))).status_code == 401


def test_the_list_filters_by_status_and_year(api_as, ceo):
    prepare(ceo)
    client = api_as(ceo)
    assert client.get(LIST, {"status": "signed"}).json()["count"] == 0
    assert client.get(LIST, {"year": 2026}).json()["count"] == 1


@pytest.mark.parametrize("rows", [3, 60])
def test_list_query_count_does_not_grow(api_as, qa, rows, django_assert_num_queries):
    meeting_type, chair = ReviewMeetingTypeFactory(), PersonFactory()
    for _ in range(rows):
        ManagementReviewFactory(meeting__type=meeting_type, meeting__chair=chair)
    client = api_as(qa)
    # token and user, permissions (user + group), count, the page of reviews (meeting, type, chair
    # and user joined; outputs counted in a subquery).
    with django_assert_num_queries(5):
        assert client.get(LIST).status_code == 200


# Preparing ---------------------------------------------------------------------------------------


def prepare_body(chair, **overrides) -> dict:
    return {
        "meeting_type": ReviewMeetingTypeFactory().pk,
        "planned_start": "2026-03-12T09:30:00Z",
        "chair": chair.person.pk,
        "period_start": "2025-03-01",
        "period_end": "2026-02-28",
        **overrides,
    }


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep"])
def test_writers_prepare_a_review(request, api_as, ceo, persona):
    response = api_as(request.getfixturevalue(persona)).post(LIST, prepare_body(ceo), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "preparing"
    assert len(body["inputs"]) == 12
    assert body["chair"] == ceo.person.pk


@pytest.mark.parametrize("persona", ["dept_manager", "qa", "auditor", "employee", "outsider"])
def test_other_roles_cannot_prepare(request, api_as, ceo, persona):
    response = api_as(request.getfixturevalue(persona)).post(LIST, prepare_body(ceo), format="json")
    assert response.status_code == 403
    assert not ManagementReview.objects.exists()


def test_bad_input_is_400_naming_the_field(api_as, ceo):
    response = api_as(ceo).post(LIST, prepare_body(ceo, period_end="2026-04-30"), format="json")
    assert response.status_code == 400
    assert "end it by the day of the meeting" in response.json()["period_end"][0]


def test_delete_is_not_offered(api_as, ceo):
    review = prepare(ceo)
    assert api_as(ceo).delete(detail(review)).status_code == 405


# Lifecycle actions -------------------------------------------------------------------------------


def test_compile_then_freeze_then_compile_again_is_409(api_as, ceo):
    review = prepare(ceo)
    client = api_as(ceo)
    assert client.post(act(review, "compile")).status_code == 200
    frozen = client.post(act(review, "freeze"))
    assert frozen.status_code == 200
    assert frozen.json()["status"] == "held"
    refused = client.post(act(review, "compile"))
    assert refused.status_code == 409
    assert "frozen" in refused.json()["detail"]


@pytest.mark.parametrize("name", ["compile", "freeze", "conclude", "outputs"])
@pytest.mark.parametrize("persona", ["dept_manager", "qa", "auditor", "employee", "outsider"])
def test_lifecycle_actions_need_the_change_permission(request, api_as, ceo, name, persona):
    review = prepare(ceo)
    assert api_as(request.getfixturevalue(persona)).post(act(review, name), {}, format="json").status_code == 403


def test_conclusions_are_written(api_as, ceo):
    review = prepare(ceo)
    response = api_as(ceo).post(act(review, "conclude"), CONCLUSIONS, format="json")
    assert response.status_code == 200
    assert response.json()["suitability"] == CONCLUSIONS["suitability"]


def test_an_output_is_recorded_once_the_meeting_started(api_as, ceo, mgmt_rep):
    review = prepare(ceo)
    client = api_as(ceo)
    body = {"text": "Qualify a second anodiser.", "output_category": "improvement", "owner": mgmt_rep.person.pk}
    assert client.post(act(review, "outputs"), body, format="json").status_code == 409
    hold(ceo, review)

    response = client.post(act(review, "outputs"), body, format="json")

    assert response.status_code == 201
    assert response.json()["label"] == "D1"
    assert response.json()["owner_name"] == mgmt_rep.person.full_name
    assert Decision.objects.get().output_category == "improvement"


def test_the_chair_signs_through_the_api(api_as, ceo, mgmt_rep):
    review = make_ready(ceo, prepare(ceo), mgmt_rep.person)
    response = api_as(ceo).post(act(review, "sign"), {"password": PASSWORD}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "signed"
    assert body["signature"]["meaning"] == "approved"
    assert body["signature_intact"] is True
    assert body["outputs"][0]["owner"] == mgmt_rep.person.pk


def test_signing_an_incomplete_review_is_409_listing_what_is_missing(api_as, ceo):
    review = hold(ceo, prepare(ceo))
    response = api_as(ceo).post(act(review, "sign"), {"password": PASSWORD}, format="json")
    assert response.status_code == 409
    assert "The review cannot be signed yet" in response.json()["detail"]
    assert "no 9.3.3 output is recorded" in response.json()["missing"]


def test_a_wrong_password_is_400(api_as, ceo, mgmt_rep):
    review = make_ready(ceo, prepare(ceo), mgmt_rep.person)
    response = api_as(ceo).post(act(review, "sign"), {"password": "nope"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "auditor", "employee", "outsider"])
def test_only_top_management_signs(request, api_as, ceo, mgmt_rep, persona):
    review = make_ready(ceo, prepare(ceo), mgmt_rep.person)
    response = api_as(request.getfixturevalue(persona)).post(act(review, "sign"), {"password": PASSWORD}, format="json")
    assert response.status_code == 403


def test_another_top_manager_is_403(api_as, ceo, mgmt_rep):
    other = PersonFactory(roles=["Top management"])
    review = make_ready(ceo, prepare(ceo), mgmt_rep.person)
    response = api_as(other.user).post(act(review, "sign"), {"password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert "Only the chair" in response.json()["detail"]


# Input sections ----------------------------------------------------------------------------------


def test_entries_and_note_are_updated(api_as, ceo):
    review = prepare(ceo)
    target = review_input(review, Item.ISSUES)
    response = api_as(ceo).patch(
        section(target),
        {
            "entries": [{"issue": "Tariffs on aluminium", "kind": "external", "change": "25%", "effect": "Cost"}],
            "note": "One external change.",
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["entries"][0]["issue"] == "Tariffs on aluminium"
    assert body["note"] == "One external change."
    assert body["has_content"] is True


def test_bad_entries_are_400_naming_entry_and_field(api_as, ceo):
    review = prepare(ceo)
    response = api_as(ceo).patch(
        section(review_input(review, Item.PROVIDERS)),
        {"entries": [{"provider": "Midland", "rating": "great"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["entries"] == ["Entry 1: Rating must be good, acceptable or poor, not “great”."]


@pytest.mark.parametrize("persona", ["dept_manager", "qa", "auditor", "employee", "outsider"])
def test_only_writers_update_a_section(request, api_as, ceo, persona):
    review = prepare(ceo)
    response = api_as(request.getfixturevalue(persona)).patch(
        section(review_input(review, Item.ISSUES)), {"note": "x"}, format="json"
    )
    assert response.status_code == 403


def test_a_signed_reviews_sections_are_409(api_as, ceo, mgmt_rep):
    review = make_ready(ceo, prepare(ceo), mgmt_rep.person)
    client = api_as(ceo)
    assert client.post(act(review, "sign"), {"password": PASSWORD}, format="json").status_code == 200
    response = client.patch(section(review_input(review, Item.ISSUES)), {"note": "later"}, format="json")
    assert response.status_code == 409


def test_put_is_not_offered_on_sections(api_as, ceo):
    review = prepare(ceo)
    assert api_as(ceo).put(section(review_input(review, Item.ISSUES)), {}, format="json").status_code == 405
