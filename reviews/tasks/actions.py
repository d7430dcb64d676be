"""tasks of actions."""
