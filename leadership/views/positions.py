"""Views of positions, holders and the management representative (5.3)."""
