"""Pages of management_reviews."""

urlpatterns = []
