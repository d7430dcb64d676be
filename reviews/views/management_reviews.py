"""views of management_reviews."""
