"""api/serializers of audits."""
