"""admin of actions."""
