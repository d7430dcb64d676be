"""filters of actions."""
