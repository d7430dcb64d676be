"""forms of calendar."""
