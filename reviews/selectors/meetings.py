"""selectors of meetings."""
