"""admin of meetings."""
