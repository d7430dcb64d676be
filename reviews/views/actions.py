"""views of actions."""
