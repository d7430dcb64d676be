# Importing each module registers its ModelAdmins.
from reviews.admin import actions, audits, calendar, management_reviews, meetings, minutes  # noqa: F401
