"""api/serializers of management_reviews."""
