"""URLs of the risk and opportunity register."""

from django.urls import path

from objectives.views import risks as views

urlpatterns = [
    path("risks/", views.RiskListView.as_view(), name="risk-list"),
    path("risks/new/", views.RiskFormView.as_view(), name="risk-create"),
    path("risks/heat-map/", views.RiskHeatMapView.as_view(), name="risk-heat-map"),
    path("risks/<int:pk>/", views.risk_detail, name="risk-detail"),
    path("risks/<int:pk>/edit/", views.RiskFormView.as_view(), name="risk-update"),
    path("risks/<int:pk>/review/", views.risk_review, name="risk-review"),
]
