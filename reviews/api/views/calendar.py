"""api/views of calendar."""
