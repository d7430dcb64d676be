"""tasks of management_reviews."""
