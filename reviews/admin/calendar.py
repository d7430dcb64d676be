"""admin of calendar."""
