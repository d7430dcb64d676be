"""Writes of audit evidence, one module per area (`attachments`, `clauses`)."""

# The attachment services were this package's whole content before the split; callers that
# import them from here keep working.
from evidence.services.attachments import (
    ACCEPTED_EXTENSIONS,
    attachment_add,
    attachment_can_add,
    attachment_can_view,
    sanitise_filename,
)

__all__ = ["ACCEPTED_EXTENSIONS", "attachment_add", "attachment_can_add", "attachment_can_view", "sanitise_filename"]
