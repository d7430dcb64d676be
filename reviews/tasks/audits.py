"""tasks of audits."""
