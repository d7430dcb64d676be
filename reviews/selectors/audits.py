"""selectors of audits."""
