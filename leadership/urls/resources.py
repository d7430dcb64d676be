"""Urls of resource requests and the quality budget (5.1.1.e, 7.1)."""

urlpatterns = []
