"""filters of audits."""
