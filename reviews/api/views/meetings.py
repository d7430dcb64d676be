"""api/views of meetings."""
