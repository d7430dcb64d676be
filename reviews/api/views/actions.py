"""api/views of actions."""
