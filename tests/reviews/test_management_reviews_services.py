"""Management review services: prepare, compile, freeze, entries and notes, conclusions, outputs, signing."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from leadership.models.commitment import CommitmentEntry
from objectives.models import Measurement
from qms.exceptions import ApplicationError
from qms.models import Signature
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MeetingType
from reviews.selectors.management_reviews import (
    management_review_readiness,
    management_review_signature_intact,
)
from reviews.services import management_reviews as services
from tests.conftest import PASSWORD
from tests.leadership.factories import PersonFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.objectives.factories_risks import add_measurements
from tests.reviews.factories import MeetingTypeFactory
from tests.reviews.factories_management_reviews import (
    CONCLUSIONS,
    PERIOD_END,
    PERIOD_START,
    PLANNED_START,
    ReviewMeetingTypeFactory,
    complete_minutes,
    hold,
    make_ready,
    prepare,
    review_input,
)

pytestmark = pytest.mark.django_db

Item = ReviewInput.Item


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def owner():
    return PersonFactory()


# Preparing ---------------------------------------------------------------------------------------


def test_prepare_plans_the_meeting_with_the_standard_agenda_and_compiles_twelve_inputs(ceo, mgmt_rep):
    review = prepare(mgmt_rep, chair=ceo.person, invitees=[mgmt_rep.person], place="Board room")

    meeting = review.meeting
    assert meeting.type.category == MeetingType.Category.MANAGEMENT_REVIEW
    assert meeting.chair == ceo.person
    assert meeting.place == "Board room"
    assert meeting.title == "Management review of Mar 2025 to Feb 2026"
    assert meeting.planned_start == PLANNED_START
    assert [i.title for i in meeting.agenda_items.order_by("order")] == list(services.AGENDA)
    assert set(meeting.attendees.values_list("person_id", flat=True)) == {ceo.person.pk, mgmt_rep.person.pk}
    assert (review.period_start, review.period_end, review.status) == (PERIOD_START, PERIOD_END, "preparing")
    assert review.compiled_at is not None
    inputs = list(review.inputs.all())
    assert [i.item for i in inputs] == Item.values
    assert all(i.compiled_at is not None for i in inputs)
    assert review.history.first().history_user == mgmt_rep


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"period_end": PERIOD_START - datetime.timedelta(days=1)}, "period_end"),
        ({"period_end": datetime.date(2026, 3, 20)}, "period_end"),
        ({"meeting_type": None}, "meeting_type"),
    ],
)
def test_prepare_refuses_bad_input_naming_the_field_and_saves_nothing(ceo, overrides, field):
    with pytest.raises(ValidationError) as caught:
        prepare(ceo, **overrides)
    assert field in caught.value.message_dict
    assert not Meeting.objects.exists()
    assert not ManagementReview.objects.exists()


def test_prepare_refuses_a_meeting_type_that_is_not_a_management_review(ceo):
    with pytest.raises(ValidationError) as caught:
        prepare(ceo, meeting_type=MeetingTypeFactory(name="Monthly quality meeting"))
    assert "choose a management review type" in caught.value.message_dict["meeting_type"][0]


def test_the_chair_must_be_able_to_sign(ceo, mgmt_rep):
    """Only top management signs reviews, so a review chaired by anyone else could never be signed."""
    with pytest.raises(ValidationError) as caught:
        prepare(ceo, chair=mgmt_rep.person)
    assert "cannot sign management reviews" in caught.value.message_dict["chair"][0]


# Compiling and freezing --------------------------------------------------------------------------


def test_recompiling_while_preparing_picks_up_new_records(ceo):
    review = prepare(ceo)
    assert review_input(review, Item.OBJECTIVES).data["records"] == 0
    add_measurements(ObjectiveFactory(), {"2025-06-01": "2.0"})

    services.management_review_compile(actor=ceo, review=review)

    assert review_input(review, Item.OBJECTIVES).data["records"] == 1


def test_recompiling_unchanged_data_writes_no_history(ceo):
    review = prepare(ceo)
    before = ReviewInput.history.count()
    services.management_review_compile(actor=ceo, review=review)
    assert ReviewInput.history.count() == before


def test_freezing_holds_the_review_and_the_data_never_changes_afterwards(ceo):
    """The review keeps what it saw: a measurement corrected after the review does not alter c.2."""
    objective = ObjectiveFactory()
    add_measurements(objective, {"2026-01-01": "2.1", "2026-02-01": "1.8"})
    review = prepare(ceo)

    review = services.management_review_freeze(actor=ceo, review=review)

    assert review.status == ManagementReview.Status.HELD
    assert review.frozen_at is not None
    frozen = review_input(review, Item.OBJECTIVES).data
    assert frozen["objectives"][0]["latest"] == "1.8%"
    Measurement.objects.filter(objective=objective, period_start=datetime.date(2026, 2, 1)).update(value=Decimal("3.9"))
    add_measurements(ObjectiveFactory(), {"2025-07-01": "2.0"})

    with pytest.raises(ApplicationError, match="frozen"):
        services.management_review_compile(actor=ceo, review=review)
    services.management_review_freeze(actor=ceo, review=review)  # again: nothing happens

    assert review_input(review, Item.OBJECTIVES).data == frozen
    review.refresh_from_db()
    assert review.frozen_at == review.compiled_at


def test_starting_the_meeting_freezes_the_inputs(ceo):
    review = hold(ceo, prepare(ceo))
    assert review.status == ManagementReview.Status.HELD
    assert review.meeting.status == Meeting.Status.HELD


def test_a_cancelled_meetings_review_cannot_be_held(ceo):
    review = prepare(ceo)
    Meeting.objects.filter(pk=review.meeting_id).update(status=Meeting.Status.CANCELLED)
    with pytest.raises(ApplicationError, match="cancelled"):
        services.management_review_freeze(actor=ceo, review=review)


# Manual entries and notes ------------------------------------------------------------------------


def test_entries_are_checked_and_stored_normalised(ceo):
    review = prepare(ceo)
    providers = review_input(review, Item.PROVIDERS)

    saved = services.review_input_set_entries(
        actor=ceo,
        review_input=providers,
        entries=[
            {
                "provider": " Midland Heat Treatment ",
                "rating": "Acceptable",
                "on_time_pct": "91.25",
                "quality_issues": 3,
            },
            {"provider": "", "scope": "", "rating": "", "comment": ""},  # a blank row is ignored
            {"provider": "Castle Anodising", "scope": "Anodising", "rating": "good", "on_time_pct": 98},
        ],
    )

    assert saved.entries == [
        {
            "provider": "Midland Heat Treatment",
            "scope": "",
            "rating": "acceptable",
            "on_time_pct": 91.3,
            "quality_issues": 3,
            "comment": "",
        },
        {
            "provider": "Castle Anodising",
            "scope": "Anodising",
            "rating": "good",
            "on_time_pct": 98,
            "quality_issues": None,
            "comment": "",
        },
    ]
    assert saved.updated_by == ceo
    assert saved.history.first().history_user == ceo


def test_bad_entries_are_refused_with_messages_naming_entry_and_field(ceo):
    review = prepare(ceo)
    issues = review_input(review, Item.ISSUES)
    with pytest.raises(ValidationError) as caught:
        services.review_input_set_entries(
            actor=ceo,
            review_input=issues,
            entries=[
                {"issue": "New customer-specific requirement", "kind": "foreign", "change": "x", "effect": "y"},
                {"issue": "Energy prices", "kind": "external", "change": "", "effect": "Higher costs"},
                {"issue": "x", "kind": "internal", "change": "y", "effect": "z", "owner": "Tom"},
            ],
        )
    messages = caught.value.message_dict["entries"]
    assert messages == [
        "Entry 1: External or internal must be external or internal, not “foreign”.",
        "Entry 2: What changed is required.",
        "Entry 3: unknown field owner; the fields are issue, kind, change and effect.",
    ]
    issues.refresh_from_db()
    assert issues.entries == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("120", "Entry 1: On-time delivery % must be a number from 0 to 100, not “120”."),
        ("abc", "Entry 1: On-time delivery % must be a number from 0 to 100, not “abc”."),
    ],
)
def test_percentages_are_checked(ceo, value, message):
    review = prepare(ceo)
    with pytest.raises(ValidationError) as caught:
        services.review_input_set_entries(
            actor=ceo,
            review_input=review_input(review, Item.PROVIDERS),
            entries=[{"provider": "Midland", "rating": "good", "on_time_pct": value}],
        )
    assert caught.value.message_dict["entries"] == [message]


def test_a_compiled_section_takes_no_entries(ceo):
    review = prepare(ceo)
    with pytest.raises(ValidationError) as caught:
        services.review_input_set_entries(actor=ceo, review_input=review_input(review, Item.RISKS), entries=[])
    assert "takes a note, not entries" in caught.value.message_dict["entries"][0]


def test_notes_and_entries_stay_editable_after_freezing(ceo):
    review = hold(ceo, prepare(ceo))
    services.review_input_annotate(actor=ceo, review_input=review_input(review, Item.AUDITS), note="  Two audits.  ")
    services.review_input_set_entries(
        actor=ceo,
        review_input=review_input(review, Item.PROCESSES),
        entries=[{"process": "CNC machining", "indicator": "First-pass yield", "result": "96.8%", "target": "97%"}],
    )
    assert review_input(review, Item.AUDITS).note == "Two audits."
    assert review_input(review, Item.PROCESSES).entries[0]["result"] == "96.8%"


def test_conclusions_change_only_what_is_given(ceo):
    review = prepare(ceo)
    services.management_review_conclude(actor=ceo, review=review, **CONCLUSIONS)
    services.management_review_conclude(actor=ceo, review=review, adequacy="  Adequate.  ")
    review.refresh_from_db()
    assert review.adequacy == "Adequate."
    assert review.suitability == CONCLUSIONS["suitability"]


# Outputs -----------------------------------------------------------------------------------------


def test_outputs_wait_for_the_meeting_to_start(ceo, owner):
    review = prepare(ceo)
    with pytest.raises(ApplicationError, match="start the meeting first"):
        services.management_review_output_add(
            actor=ceo, review=review, text="Buy a CMM", output_category="resource-need", owner=owner
        )


def test_an_output_is_a_decision_of_the_meeting_under_the_outputs_item(ceo, owner):
    review = hold(ceo, prepare(ceo))

    decision = services.management_review_output_add(
        actor=ceo, review=review, text="Buy a second CMM.", output_category="resource-need", owner=owner
    )

    assert (decision.meeting, decision.number, decision.owner) == (review.meeting, 1, owner)
    assert decision.output_category == Decision.OutputCategory.RESOURCE_NEED
    assert decision.agenda_item.title == services.AGENDA_OUTPUTS


def test_an_output_needs_text_category_and_owner(ceo):
    review = hold(ceo, prepare(ceo))
    with pytest.raises(ValidationError) as caught:
        services.management_review_output_add(actor=ceo, review=review, text=" ", output_category="", owner=None)
    assert set(caught.value.message_dict) == {"text", "output_category", "owner"}
    assert not Decision.objects.exists()


def test_an_output_without_owner_gets_one(ceo, owner):
    review = hold(ceo, prepare(ceo))
    decision = Decision.objects.create(
        meeting=review.meeting,
        number=1,
        text="Review the supplier list.",
        output_category="qms-change",
        recorded_by=ceo,
    )
    services.management_review_output_assign(actor=ceo, review=review, decision=decision, owner=owner)
    decision.refresh_from_db()
    assert decision.owner == owner


# Signing -----------------------------------------------------------------------------------------


def test_the_chair_signs_a_complete_review_and_its_minutes(ceo, owner):
    review = make_ready(ceo, prepare(ceo), owner)

    review = services.management_review_sign(actor=ceo, review=review, password=PASSWORD)

    assert review.status == ManagementReview.Status.SIGNED
    assert review.signed_at == review.signature.signed_at
    assert (review.signature.meaning, review.signature.signer) == (Signature.Meaning.APPROVED, ceo)
    assert review.signature.signer_name == ceo.get_full_name()
    assert management_review_signature_intact(review) is True
    review.meeting.refresh_from_db()
    assert review.meeting.status == Meeting.Status.SIGNED
    entry = CommitmentEntry.objects.get(source=CommitmentEntry.Source.REVIEW_SIGNED)
    assert entry.person == ceo.person
    assert entry.requirement_ids == ["5.1.1.a", "5.1.1.d", "5.1.1.g", "5.1.1.i"]
    assert entry.date == datetime.date(2026, 3, 10)


def test_a_signed_review_never_changes(ceo, owner):
    review = services.management_review_sign(actor=ceo, review=make_ready(ceo, prepare(ceo), owner), password=PASSWORD)
    refused = [
        lambda: services.review_input_annotate(actor=ceo, review_input=review_input(review, Item.ISSUES), note="x"),
        lambda: services.review_input_set_entries(
            actor=ceo, review_input=review_input(review, Item.ISSUES), entries=[]
        ),
        lambda: services.management_review_conclude(actor=ceo, review=review, suitability="Changed"),
        lambda: services.management_review_output_add(
            actor=ceo, review=review, text="Another", output_category="improvement", owner=owner
        ),
        lambda: services.management_review_compile(actor=ceo, review=review),
        lambda: services.management_review_sign(actor=ceo, review=review, password=PASSWORD),
    ]
    for attempt in refused:
        with pytest.raises(ApplicationError):
            attempt()
    assert management_review_signature_intact(review) is True


def test_a_change_behind_the_services_back_shows_after_signing(ceo, owner):
    review = services.management_review_sign(actor=ceo, review=make_ready(ceo, prepare(ceo), owner), password=PASSWORD)
    ReviewInput.objects.filter(review=review, item=Item.ISSUES).update(note="Rewritten later")
    assert management_review_signature_intact(review) is False


def test_signing_is_refused_with_one_message_listing_everything_missing(ceo, owner):
    review = hold(ceo, prepare(ceo))
    Decision.objects.create(
        meeting=review.meeting,
        number=1,
        text="Review the supplier list.",
        output_category="qms-change",
        recorded_by=ceo,
    )

    with pytest.raises(ApplicationError) as caught:
        services.management_review_sign(actor=ceo, review=review, password=PASSWORD)

    message = caught.value.message
    assert message.startswith("The review cannot be signed yet: ")
    assert "inputs a), b), c.1), c.2), c.3), c.4), c.5), c.6), c.7), d), e) and f) have no data" in message
    assert "the conclusions on suitability, adequacy and effectiveness are missing" in message
    assert "output D1 has no owner" in message
    assert "in the minutes: mark the attendance of" in message
    assert len(caught.value.extra["missing"]) == 5
    review.refresh_from_db()
    assert review.status == ManagementReview.Status.HELD
    assert not Signature.objects.exists()


def test_readiness_counts_inputs_conclusions_and_owners(ceo, owner):
    review = hold(ceo, prepare(ceo))
    services.review_input_annotate(actor=ceo, review_input=review_input(review, Item.ISSUES), note="No change.")
    readiness = management_review_readiness(review)
    assert readiness["summary"] == "1 of 12 inputs · conclusions missing · no outputs · minutes incomplete"
    assert readiness["ready"] is False
    for item in review.inputs.exclude(item__in=[Item.ISSUES, Item.PROVIDERS]):
        services.review_input_annotate(actor=ceo, review_input=item, note="Seen.")
    readiness = management_review_readiness(review)
    assert readiness["problems"][0] == ("input c.7) Performance of external providers has no data, entries or note")
    assert readiness["inputs_done"] == 11


def test_only_the_chair_signs(ceo, owner):
    review = make_ready(ceo, prepare(ceo), owner)
    other = PersonFactory(roles=["Top management"])
    other.user.set_password(PASSWORD)
    other.user.save()
    with pytest.raises(PermissionDenied, match="Only the chair"):
        services.management_review_sign(actor=other.user, review=review, password=PASSWORD)


def test_the_management_representative_cannot_sign(ceo, mgmt_rep, owner):
    review = make_ready(mgmt_rep, prepare(mgmt_rep, chair=ceo.person), owner)
    with pytest.raises(PermissionDenied, match="Only top management"):
        services.management_review_sign(actor=mgmt_rep, review=review, password=PASSWORD)


def test_a_review_being_prepared_cannot_be_signed(ceo):
    with pytest.raises(ApplicationError, match="has not been held"):
        services.management_review_sign(actor=ceo, review=prepare(ceo), password=PASSWORD)


def test_a_wrong_password_signs_nothing(ceo, owner):
    review = make_ready(ceo, prepare(ceo), owner)
    with pytest.raises(ValidationError) as caught:
        services.management_review_sign(actor=ceo, review=review, password="wrong")
    assert "password" in caught.value.message_dict
    review.refresh_from_db()
    assert review.status == ManagementReview.Status.HELD
    assert review.meeting.status == Meeting.Status.HELD
    assert not Signature.objects.exists()
    assert not CommitmentEntry.objects.exists()


def test_one_flow_from_preparation_to_signature(ceo, mgmt_rep, owner):
    """The management representative prepares, the CEO chairs: preparing -> held -> signed."""
    review = prepare(mgmt_rep, chair=ceo.person)
    assert review.status == "preparing"
    services.review_input_set_entries(
        actor=mgmt_rep,
        review_input=review_input(review, Item.ISSUES),
        entries=[{"issue": "AS9100 asked by a customer", "kind": "external", "change": "New", "effect": "Scope"}],
    )
    review = hold(mgmt_rep, review)
    assert review.status == "held"
    for item in review.inputs.exclude(item=Item.ISSUES):
        services.review_input_annotate(actor=mgmt_rep, review_input=item, note="Reviewed; nothing to add.")
    services.management_review_conclude(actor=ceo, review=review, **CONCLUSIONS)
    services.management_review_output_add(
        actor=ceo, review=review, text="Start AS9100 gap analysis.", output_category="qms-change", owner=owner
    )
    complete_minutes(mgmt_rep, review)
    review.refresh_from_db()
    assert management_review_readiness(review)["problems"] == []
    review = services.management_review_sign(actor=ceo, review=review, password=PASSWORD)
    assert review.status == "signed"
    assert AgendaItem.objects.filter(meeting=review.meeting).count() == len(services.AGENDA)
    assert not Attendee.objects.filter(meeting=review.meeting, status=Attendee.Status.INVITED).exists()


def test_the_review_type_factory_is_a_management_review():
    assert ReviewMeetingTypeFactory().category == MeetingType.Category.MANAGEMENT_REVIEW
