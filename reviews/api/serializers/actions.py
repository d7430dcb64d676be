"""api/serializers of actions."""
