"""tasks of calendar."""
