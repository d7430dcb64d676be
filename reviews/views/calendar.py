"""views of calendar."""
