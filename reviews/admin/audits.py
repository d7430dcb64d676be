"""admin of audits."""
