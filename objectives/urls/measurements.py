"""URLs of measurements and of the objectives dashboard (the app's index, /objectives/)."""

from django.urls import path

from objectives.views import measurements as views

urlpatterns = [
    path("", views.ObjectiveDashboardView.as_view(), name="objective-list"),
    path("measurements/", views.MeasurementListView.as_view(), name="measurement-list"),
    path("measurements/enter/", views.MeasurementEntryView.as_view(), name="measurement-entry"),
    path("measurements/import/", views.MeasurementImportView.as_view(), name="measurement-import"),
    path(
        "measurements/import/template/",
        views.MeasurementImportTemplateView.as_view(),
        name="measurement-import-template",
    ),
    path("measurements/new/<int:objective_pk>/", views.MeasurementCreateView.as_view(), name="measurement-create"),
    path("measurements/<int:pk>/", views.MeasurementDetailView.as_view(), name="measurement-detail"),
    path("measurements/<int:pk>/correct/", views.MeasurementCorrectView.as_view(), name="measurement-update"),
]
