"""forms of reports."""
