"""forms of actions."""
