"""views of audits."""
