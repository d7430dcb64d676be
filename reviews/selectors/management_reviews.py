"""selectors of management_reviews."""
