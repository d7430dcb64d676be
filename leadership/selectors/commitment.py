"""Selectors of the leadership commitment log (5.1.1)."""
