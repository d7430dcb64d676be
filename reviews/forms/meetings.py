"""forms of meetings."""
