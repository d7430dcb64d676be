"""api/serializers of calendar."""
