"""Pages of audits."""

urlpatterns = []
