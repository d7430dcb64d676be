"""What `manage.py verify_integrity` checks in this app: signed minutes, amendments and management reviews."""

from qms.integrity import register_signed_content
from reviews.models.management_reviews import ManagementReview
from reviews.models.meetings import Meeting, MinutesAmendment
from reviews.selectors.management_reviews import management_review_signed_content
from reviews.selectors.minutes import meeting_signed_content
from reviews.services.minutes import amendment_signed_content


def register() -> None:
    register_signed_content(Meeting, lambda meeting, signature: meeting_signed_content(meeting))
    register_signed_content(MinutesAmendment, lambda amendment, signature: amendment_signed_content(amendment))
    register_signed_content(ManagementReview, lambda review, signature: management_review_signed_content(review))
