"""filters of management_reviews."""
