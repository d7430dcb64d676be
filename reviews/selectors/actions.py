"""selectors of actions."""
