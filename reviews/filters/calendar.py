"""filters of calendar."""
