"""views of meetings."""
