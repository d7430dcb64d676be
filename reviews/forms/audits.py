"""forms of audits."""
