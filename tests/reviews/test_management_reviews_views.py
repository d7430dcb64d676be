"""Management review pages: the list, preparing a review, the review page and what is done on it."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse

from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import Decision, MeetingType
from reviews.selectors.management_reviews import management_review_panel
from reviews.services import management_reviews as services
from reviews.services import minutes as minutes_services
from tests.conftest import PASSWORD
from tests.leadership.factories import PersonFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.objectives.factories_risks import add_measurements
from tests.reviews.factories_management_reviews import (
    ManagementReviewFactory,
    ReviewMeetingTypeFactory,
    hold,
    make_ready,
    prepare,
    review_input,
)

pytestmark = pytest.mark.django_db

Item = ReviewInput.Item
READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]
WRITERS = ["ceo", "mgmt_rep"]
NOT_WRITERS = ["dept_manager", "qa", "auditor", "employee", "outsider"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def url(name, review) -> str:
    return reverse(f"reviews:management-review-{name}", args=[review.pk])


# Who sees what -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_management_and_auditors_see_reviews(request, client_as, ceo, persona):
    review = prepare(ceo)
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:management-review-list")).status_code == 200
    assert client.get(review.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_other_staff_do_not(request, client_as, ceo, persona):
    review = prepare(ceo)
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:management-review-list")).status_code == 403
    assert client.get(review.get_absolute_url()).status_code == 403


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("reviews:management-review-list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


# The list -----------------------------------------------------------------------------------------


def test_the_list_shows_status_period_chair_and_outputs(client_as, ceo, mgmt_rep):
    review = hold(ceo, prepare(ceo))
    services.management_review_output_add(
        actor=ceo, review=review, text="Buy a CMM.", output_category="resource-need", owner=mgmt_rep.person
    )
    response = client_as(mgmt_rep).get(reverse("reviews:management-review-list"))
    text = response.content.decode()
    assert review.meeting.reference in text
    assert "1 Mar 2025 \u2013 28 Feb 2026" in text
    assert ceo.get_full_name() in text
    assert "Held, inputs frozen" in text
    assert response.context["object_list"][0].outputs_count == 1
    assert 'href="/reviews/management-reviews/new/"' in text


def test_the_list_filters_by_status(client_as, ceo):
    prepare(ceo)
    response = client_as(ceo).get(reverse("reviews:management-review-list"), {"status": "signed"})
    assert list(response.context["object_list"]) == []


def test_readers_are_not_offered_to_prepare(client_as, ceo, qa):
    text = client_as(qa).get(reverse("reviews:management-review-list")).content.decode()
    assert "Prepare a review" not in text


@pytest.mark.parametrize("rows", [3, 60])
def test_list_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    chair = PersonFactory()
    meeting_type = ReviewMeetingTypeFactory()
    for _ in range(rows):
        ManagementReviewFactory(meeting__chair=chair, meeting__type=meeting_type)
    client = client_as(qa)
    # session, user, permissions (user + group), count for pagination, the page of reviews (meeting,
    # type, chair and user joined; outputs counted in a subquery), groups for the role badge.
    with django_assert_num_queries(7):
        assert client.get(reverse("reviews:management-review-list")).status_code == 200


# Preparing ------------------------------------------------------------------------------------------


def form_data(chair, meeting_type, **overrides) -> dict:
    return {
        "meeting_type": meeting_type.pk,
        "planned_start": "2026-03-12T09:30",
        "chair": chair.person.pk,
        "period_start": "2025-03-01",
        "period_end": "2026-02-28",
        "place": "Board room",
        **overrides,
    }


@pytest.mark.parametrize("persona", WRITERS)
def test_top_management_and_the_representative_prepare_a_review(request, client_as, ceo, persona):
    client = client_as(request.getfixturevalue(persona))
    meeting_type = ReviewMeetingTypeFactory()
    assert client.get(reverse("reviews:management-review-create")).status_code == 200

    response = client.post(reverse("reviews:management-review-create"), form_data(ceo, meeting_type))

    review = ManagementReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == review.get_absolute_url()
    assert review.inputs.count() == 12
    assert review.meeting.place == "Board room"


@pytest.mark.parametrize("persona", NOT_WRITERS)
def test_other_roles_cannot_prepare(request, client_as, ceo, persona):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:management-review-create")).status_code == 403
    response = client.post(reverse("reviews:management-review-create"), form_data(ceo, ReviewMeetingTypeFactory()))
    assert response.status_code == 403
    assert not ManagementReview.objects.exists()


def test_the_form_shows_the_services_message_on_the_field(client_as, ceo, mgmt_rep):
    response = client_as(ceo).post(
        reverse("reviews:management-review-create"),
        form_data(ceo, ReviewMeetingTypeFactory(), period_end="2026-03-20"),
    )
    assert response.status_code == 200
    assert "end it by the day of the meeting" in response.context["form"].errors["period_end"][0]


def test_the_form_offers_last_twelve_months_and_top_management_as_chairs(client_as, ceo, mgmt_rep):
    ReviewMeetingTypeFactory()
    form = client_as(ceo).get(reverse("reviews:management-review-create")).context["form"]
    assert form.initial["period_start"] == datetime.date(2025, 3, 1)
    assert form.initial["period_end"] == datetime.date(2026, 2, 28)
    assert list(form.fields["chair"].queryset) == [ceo.person]


# The review page ----------------------------------------------------------------------------------


def test_the_page_shows_every_input_with_readable_tables(client_as, ceo):
    objective = ObjectiveFactory(title="Scrap rate on line 2")
    add_measurements(objective, {"2025-12-01": "2.4", "2026-01-01": "2.1", "2026-02-01": "1.8"})
    review = prepare(ceo)

    response = client_as(ceo).get(review.get_absolute_url())

    text = response.content.decode()
    for item in Item:
        assert f'id="input-{item.value}"' in text
    assert "Scrap rate on line 2" in text
    assert "≤ 2%" in text
    assert "On track" in text
    assert "<svg" in text  # the objective's tiny trend
    assert "Recompile inputs" in text
    assert "Freeze inputs" in text
    assert "2 of 12 inputs" in text  # c.2 and c.5 have records


def test_readers_see_no_editing_controls(client_as, ceo, auditor):
    review = prepare(ceo)
    text = client_as(auditor).get(review.get_absolute_url()).content.decode()
    assert "Recompile inputs" not in text
    assert "Save note" not in text
    assert "Save entries" not in text
    assert "Save conclusions" not in text


@pytest.mark.parametrize("objectives", [3, 30])
def test_review_page_query_count_does_not_grow(client_as, ceo, mgmt_rep, objectives, django_assert_num_queries):
    for _ in range(objectives):
        add_measurements(ObjectiveFactory(), {"2026-01-01": "2.1", "2026-02-01": "1.8"})
    review = hold(ceo, prepare(ceo))
    assert len(review_input(review, Item.OBJECTIVES).data["objectives"]) == objectives
    decision = services.management_review_output_add(
        actor=ceo, review=review, text="Buy a CMM.", output_category="resource-need", owner=mgmt_rep.person
    )
    minutes_services.decision_action_add(
        actor=ceo,
        decision=decision,
        title="Get three quotes",
        owner=mgmt_rep.person,
        due_date=datetime.date(2026, 4, 30),
    )
    client = client_as(ceo)
    # session, user, permissions (user + group), the review (meeting, type, chair, minute-taker,
    # signature joined), its inputs (+ who last edited them), its outputs (owner joined) and their
    # actions, resource requests and target revisions, what the minutes still need (attendees, agenda
    # items, decisions with an agenda item), the history (+ its users), groups for the role badge, the
    # owner choices of the add-output form, the attachments card (content type, attachments).
    with django_assert_num_queries(17):
        assert client.get(review.get_absolute_url()).status_code == 200


def test_an_unknown_review_is_not_found(client_as, ceo):
    assert client_as(ceo).get(reverse("reviews:management-review-detail", args=[999])).status_code == 404


# Compile and freeze -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["compile", "freeze"])
@pytest.mark.parametrize("persona", ["dept_manager", "qa", "auditor", "employee", "outsider"])
def test_only_writers_compile_or_freeze(request, client_as, ceo, name, persona):
    review = prepare(ceo)
    assert client_as(request.getfixturevalue(persona)).post(url(name, review)).status_code == 403


def test_compile_and_freeze_are_post_only(client_as, ceo):
    review = prepare(ceo)
    assert client_as(ceo).get(url("compile", review)).status_code == 405


def test_freezing_from_the_page_holds_the_review(client_as, mgmt_rep, ceo):
    review = prepare(ceo)
    client = client_as(mgmt_rep)
    response = client.post(url("freeze", review))
    assert response["Location"] == review.get_absolute_url()
    review.refresh_from_db()
    assert review.status == ManagementReview.Status.HELD
    response = client.post(url("compile", review), follow=True)
    assert "they no longer change" in messages_of(response)[-1]


# Notes and entries in place -------------------------------------------------------------------------


def test_a_note_is_saved_with_htmx_and_the_checklist_refreshed(client_as, ceo):
    review = prepare(ceo)
    target = review_input(review, Item.AUDITS)

    response = client_as(ceo).post(
        reverse("reviews:review-input-note", args=[target.pk]), {"note": "No audit this year."}, HTTP_HX_REQUEST="true"
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert f'id="note-{target.pk}"' in text
    assert 'id="readiness" hx-swap-oob="true"' in text
    assert "1 of 12 inputs" in text
    target.refresh_from_db()
    assert target.note == "No audit this year."


def test_a_note_without_htmx_returns_to_the_section(client_as, ceo):
    review = prepare(ceo)
    target = review_input(review, Item.AUDITS)
    response = client_as(ceo).post(reverse("reviews:review-input-note", args=[target.pk]), {"note": "x"})
    assert response["Location"] == review.get_absolute_url() + "#input-9.3.2.c.6"


@pytest.mark.parametrize("persona", ["dept_manager", "qa", "auditor", "employee", "outsider"])
def test_only_writers_edit_notes_and_entries(request, client_as, ceo, persona):
    review = prepare(ceo)
    client = client_as(request.getfixturevalue(persona))
    target = review_input(review, Item.ISSUES)
    assert client.post(reverse("reviews:review-input-note", args=[target.pk]), {"note": "x"}).status_code == 403
    assert client.post(reverse("reviews:review-input-entries", args=[target.pk]), {"save": "1"}).status_code == 403


def test_rows_are_added_and_removed_with_htmx_keeping_what_was_typed(client_as, ceo):
    review = prepare(ceo)
    target = review_input(review, Item.PROVIDERS)
    client = client_as(ceo)
    entries_url = reverse("reviews:review-input-entries", args=[target.pk])

    typed = {"provider": ["Midland Heat Treatment"], "scope": ["Heat treatment"], "rating": ["good"]}
    added = client.post(entries_url, {**typed, "add": "1"}, HTTP_HX_REQUEST="true")
    assert added.status_code == 200
    text = added.content.decode()
    assert text.count('name="provider"') == 2
    assert 'value="Midland Heat Treatment"' in text
    assert "Not saved yet" in text

    removed = client.post(
        entries_url,
        {"provider": ["Midland", "Castle"], "rating": ["good", "poor"], "remove": "0"},
        HTTP_HX_REQUEST="true",
    )
    text = removed.content.decode()
    assert text.count('name="provider"') == 1
    assert 'value="Castle"' in text
    target.refresh_from_db()
    assert target.entries == []


def test_entries_are_saved_with_htmx(client_as, ceo):
    review = prepare(ceo)
    target = review_input(review, Item.PROCESSES)
    response = client_as(ceo).post(
        reverse("reviews:review-input-entries", args=[target.pk]),
        {
            "process": ["CNC machining", ""],
            "indicator": ["First-pass yield", ""],
            "result": ["96.8%", ""],
            "target": ["97%", ""],
            "comment": ["Line 2 below target", ""],
            "save": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert "Saved" in text
    assert 'hx-swap-oob="true"' in text
    target.refresh_from_db()
    assert target.entries == [
        {
            "process": "CNC machining",
            "indicator": "First-pass yield",
            "result": "96.8%",
            "target": "97%",
            "comment": "Line 2 below target",
        }
    ]


def test_bad_entries_show_every_message_and_keep_the_rows(client_as, ceo):
    review = prepare(ceo)
    target = review_input(review, Item.ISSUES)
    response = client_as(ceo).post(
        reverse("reviews:review-input-entries", args=[target.pk]),
        {"issue": ["Energy prices"], "kind": ["external"], "change": [""], "effect": ["Costs up"], "save": "1"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert "Entry 1: What changed is required." in text
    assert 'value="Energy prices"' in text
    target.refresh_from_db()
    assert target.entries == []


def test_bad_entries_without_htmx_render_the_page_with_the_editor_state(client_as, ceo):
    review = prepare(ceo)
    target = review_input(review, Item.ISSUES)
    response = client_as(ceo).post(
        reverse("reviews:review-input-entries", args=[target.pk]),
        {"issue": ["Energy prices"], "kind": ["space"], "change": ["x"], "effect": ["y"], "save": "1"},
    )
    assert response.status_code == 200
    assert "Entry 1: External or internal must be external or internal, not “space”." in response.content.decode()


def test_a_compiled_section_has_no_entries_editor(client_as, ceo):
    review = prepare(ceo)
    target = review_input(review, Item.RISKS)
    assert client_as(ceo).post(reverse("reviews:review-input-entries", args=[target.pk])).status_code == 404


# Conclusions and outputs ----------------------------------------------------------------------------


def test_conclusions_are_saved(client_as, ceo):
    review = prepare(ceo)
    response = client_as(ceo).post(
        url("conclude", review), {"suitability": "Suitable.", "adequacy": "Adequate.", "effectiveness": "Effective."}
    )
    assert response["Location"] == review.get_absolute_url() + "#conclusions"
    review.refresh_from_db()
    assert (review.suitability, review.adequacy, review.effectiveness) == ("Suitable.", "Adequate.", "Effective.")


@pytest.mark.parametrize("persona", ["dept_manager", "qa", "auditor"])
def test_readers_cannot_conclude_or_add_outputs(request, client_as, ceo, persona):
    review = hold(ceo, prepare(ceo))
    client = client_as(request.getfixturevalue(persona))
    assert client.post(url("conclude", review), {"suitability": "x"}).status_code == 403
    data = {"text": "x", "output_category": "improvement", "owner": ceo.person.pk}
    assert client.post(url("output-add", review), data).status_code == 403
    assert not Decision.objects.exists()


def test_an_output_is_recorded_and_shown_in_its_group(client_as, ceo, mgmt_rep):
    review = hold(ceo, prepare(ceo))
    client = client_as(ceo)
    response = client.post(
        url("output-add", review),
        {
            "text": "Buy a second CMM for final inspection.",
            "output_category": "resource-need",
            "owner": mgmt_rep.person.pk,
        },
    )
    assert response["Location"] == review.get_absolute_url() + "#outputs"
    decision = Decision.objects.get()
    assert (decision.output_category, decision.owner) == ("resource-need", mgmt_rep.person)
    page = client.get(review.get_absolute_url())
    groups = {g["category"]: g["outputs"] for g in page.context["output_groups"]}
    assert groups["resource-need"] == [decision]
    assert "Buy a second CMM for final inspection." in page.content.decode()


def test_an_output_form_error_is_shown_on_the_page(client_as, ceo):
    review = hold(ceo, prepare(ceo))
    response = client_as(ceo).post(url("output-add", review), {"text": "", "output_category": "improvement"})
    assert response.status_code == 200
    assert response.context["output_form"].errors["owner"]


def test_an_output_without_owner_is_given_one(client_as, ceo, mgmt_rep):
    review = hold(ceo, prepare(ceo))
    decision = Decision.objects.create(
        meeting=review.meeting,
        number=1,
        text="Review the supplier list.",
        output_category="qms-change",
        recorded_by=ceo,
    )
    page = client_as(ceo).get(review.get_absolute_url()).content.decode()
    assert "1 output without owner" in page
    client_as(ceo).post(url("output-owner", review), {"decision": decision.pk, "owner": mgmt_rep.person.pk})
    decision.refresh_from_db()
    assert decision.owner == mgmt_rep.person


# Signing --------------------------------------------------------------------------------------------


def test_the_chair_signs_on_the_page(client_as, ceo, mgmt_rep):
    review = make_ready(ceo, prepare(ceo), mgmt_rep.person)
    client = client_as(ceo)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Approve and sign the review" in page

    response = client.post(url("sign", review), {"password": PASSWORD})

    assert response["Location"] == review.get_absolute_url()
    review.refresh_from_db()
    assert review.status == ManagementReview.Status.SIGNED
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Approved by the chair" in page
    assert review.signature.content_sha256 in page
    assert "exactly what was signed" in page
    assert "Save note" not in page
    assert "Save conclusions" not in page


def test_a_wrong_password_is_shown_on_the_form(client_as, ceo, mgmt_rep):
    review = make_ready(ceo, prepare(ceo), mgmt_rep.person)
    response = client_as(ceo).post(url("sign", review), {"password": "nope"})
    assert response.status_code == 200
    assert "The password is not correct" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ManagementReview.Status.HELD


def test_signing_an_incomplete_review_says_what_is_missing(client_as, ceo):
    review = hold(ceo, prepare(ceo))
    response = client_as(ceo).post(url("sign", review), {"password": PASSWORD}, follow=True)
    assert "The review cannot be signed yet" in messages_of(response)[-1]


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "auditor", "employee", "outsider"])
def test_only_top_management_may_post_a_signature(request, client_as, ceo, mgmt_rep, persona):
    review = make_ready(ceo, prepare(ceo), mgmt_rep.person)
    response = client_as(request.getfixturevalue(persona)).post(url("sign", review), {"password": PASSWORD})
    assert response.status_code == 403


def test_another_top_manager_is_told_only_the_chair_signs(client_as, ceo, mgmt_rep):
    other = PersonFactory(roles=["Top management"])
    review = make_ready(ceo, prepare(ceo), mgmt_rep.person)
    client = client_as(other.user)
    assert "Approve and sign the review" not in client.get(review.get_absolute_url()).content.decode()
    assert client.post(url("sign", review), {"password": PASSWORD}).status_code == 403


def test_a_changed_signed_review_is_flagged(client_as, ceo, mgmt_rep):
    review = services.management_review_sign(
        actor=ceo, review=make_ready(ceo, prepare(ceo), mgmt_rep.person), password=PASSWORD
    )
    ReviewInput.objects.filter(review=review, item=Item.ISSUES).update(note="Rewritten later")
    page = client_as(mgmt_rep).get(review.get_absolute_url()).content.decode()
    assert "Changed after it was signed" in page


# The suggested dashboard panel ------------------------------------------------------------------------


def test_the_suggested_dashboard_panel_shows_the_next_review_and_any_overdue(rf, ceo):
    review = prepare(ceo)
    MeetingType.objects.filter(pk=review.meeting.type_id).update(
        frequency=MeetingType.Frequency.YEARLY,
        first_occurrence=datetime.datetime(2025, 1, 15, 9, 0, tzinfo=datetime.UTC),
    )
    request = rf.get("/")
    request.user = ceo

    data = management_review_panel(request)
    html = render_to_string("reviews/management_reviews/partials/_dashboard.html", {"data": data}, request=request)

    assert data["upcoming"] == review
    assert data["last_signed"] is None
    assert review.meeting.reference in html
    assert "0 of 12 inputs" in html
    assert "called for a review on 15 Jan 2026" in html
