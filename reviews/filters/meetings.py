"""filters of meetings."""
