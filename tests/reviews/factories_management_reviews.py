"""Factories and helpers of management reviews: a review meeting type, a prepared review, a review ready to sign."""

import datetime

import factory

from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import AgendaItem, Attendee, Decision, MeetingType
from reviews.services import management_reviews as services
from reviews.services import minutes as minutes_services
from tests.reviews.factories import MeetingTypeFactory

# The day the tests run on (see each module's time_machine fixture) and the review they prepare.
TODAY = datetime.date(2026, 3, 10)
PERIOD_START = datetime.date(2025, 3, 1)
PERIOD_END = datetime.date(2026, 2, 28)
PLANNED_START = datetime.datetime(2026, 3, 12, 9, 30, tzinfo=datetime.UTC)

CONCLUSIONS = {
    "suitability": "The QMS remains suitable for CNC machining of aerospace and automotive parts.",
    "adequacy": "Adequate: every process of the scope is covered, supplier control needs strengthening.",
    "effectiveness": "Effective on delivery and complaints; scrap objective missed in Q4.",
    "strategic_alignment": "Supports the strategy of growing aerospace work to 40% of sales.",
}


class ReviewMeetingTypeFactory(MeetingTypeFactory):
    """The management review meeting type, not scheduled."""

    name = "Management review"
    category = MeetingType.Category.MANAGEMENT_REVIEW


def prepare(actor, chair=None, **overrides) -> ManagementReview:
    """A review prepared through the service: chaired by `chair` (default: the actor's person)."""
    data = {
        "meeting_type": ReviewMeetingTypeFactory(),
        "planned_start": PLANNED_START,
        "chair": chair or actor.person,
        "period_start": PERIOD_START,
        "period_end": PERIOD_END,
    }
    data.update(overrides)
    return services.management_review_prepare(actor=actor, **data)


def start_meeting(actor, review: ManagementReview) -> ManagementReview:
    """Start the review's meeting through the minutes' service, which freezes the inputs."""
    minutes_services.meeting_start(actor=actor, meeting=review.meeting)
    review.refresh_from_db()
    review.meeting.refresh_from_db()
    return review


def hold(actor, review: ManagementReview) -> ManagementReview:
    """Start the meeting: the review is held and its inputs frozen."""
    return start_meeting(actor, review)


def complete_minutes(actor, review: ManagementReview) -> None:
    """Mark everyone present and write minutes under every agenda item without a decision."""
    meeting = review.meeting
    for attendee in Attendee.objects.filter(meeting=meeting, status=Attendee.Status.INVITED):
        minutes_services.attendee_mark(actor=actor, attendee=attendee, status=Attendee.Status.PRESENT)
    for item in AgendaItem.objects.filter(meeting=meeting, decisions__isnull=True, minutes=""):
        minutes_services.agenda_item_minutes_save(actor=actor, item=item, minutes=f"Discussed: {item.title}.")


def make_ready(actor, review: ManagementReview, owner) -> ManagementReview:
    """Hold the review, address every empty input with a note, conclude it, record one output, complete
    the minutes: everything signing needs."""
    review = hold(actor, review)
    for review_input in review.inputs.all():
        if not (review_input.data.get("records") or review_input.entries):
            services.review_input_annotate(
                actor=actor, review_input=review_input, note="Nothing to report in the period."
            )
    services.management_review_conclude(actor=actor, review=review, **CONCLUSIONS)
    services.management_review_output_add(
        actor=actor,
        review=review,
        text="Qualify a second heat-treatment supplier by the end of Q3.",
        output_category=Decision.OutputCategory.IMPROVEMENT,
        owner=owner,
    )
    complete_minutes(actor, review)
    review.refresh_from_db()
    return review


def review_input(review: ManagementReview, item: str) -> ReviewInput:
    return ReviewInput.objects.get(review=review, item=item)


class ManagementReviewFactory(factory.django.DjangoModelFactory):
    """A review row written straight to the table (with its twelve empty inputs): for volume in list tests."""

    class Meta:
        model = ManagementReview
        skip_postgeneration_save = True

    meeting = factory.SubFactory(
        "tests.reviews.factories.MeetingFactory", type=factory.SubFactory(ReviewMeetingTypeFactory)
    )
    period_start = PERIOD_START
    period_end = PERIOD_END

    @factory.post_generation
    def inputs(self, create, extracted, **kwargs):
        if create:
            ReviewInput.objects.bulk_create(ReviewInput(review=self, item=item) for item in ReviewInput.Item)
