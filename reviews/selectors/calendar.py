"""selectors of calendar."""
