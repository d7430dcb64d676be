"""api/views of audits."""
