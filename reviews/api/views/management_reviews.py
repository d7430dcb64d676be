"""api/views of management_reviews."""
