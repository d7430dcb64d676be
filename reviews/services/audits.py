"""services of audits."""
