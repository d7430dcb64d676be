"""Pages of actions."""

urlpatterns = []
