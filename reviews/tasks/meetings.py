"""tasks of meetings."""
