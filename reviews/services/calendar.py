"""services of calendar."""
