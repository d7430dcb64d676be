"""api/serializers of meetings."""
