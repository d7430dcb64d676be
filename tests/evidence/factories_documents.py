"""Records that have PDFs, for the tests of issued documents: signed minutes and management reviews."""

from reviews.models.management_reviews import ManagementReview
from reviews.models.meetings import Meeting
from reviews.services import management_reviews as review_services
from reviews.services import minutes as minutes_services
from tests.conftest import PASSWORD
from tests.reviews.factories_management_reviews import make_ready, prepare
from tests.reviews.factories_minutes import complete, grow_minutes, held_meeting


def signed_meeting(chair, *, decisions: int = 2, actions: int = 2, **kwargs) -> Meeting:
    """A quality meeting chaired by `chair` (who signs minutes), with decisions and actions, signed by the chair."""
    meeting = held_meeting(chair=chair, items=1, title="Monthly quality meeting, machining hall", **kwargs)
    complete(meeting)
    if decisions:
        grow_minutes(meeting, items=decisions, decisions=decisions, actions=actions, attendees=2)
    return minutes_services.meeting_sign(actor=chair, meeting=meeting, password=PASSWORD)


def ready_review(chair) -> ManagementReview:
    """A management review held and complete, not signed yet (its PDF is a draft)."""
    return make_ready(chair, prepare(chair), owner=chair.person)


def signed_review(chair) -> ManagementReview:
    review = ready_review(chair)
    return review_services.management_review_sign(actor=chair, review=review, password=PASSWORD)
