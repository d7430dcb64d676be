"""Pages of calendar."""

urlpatterns = []
