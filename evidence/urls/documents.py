"""Pages of issued documents: a record's PDF (ask, follow, download), verification, the download log."""

from django.urls import path

from evidence.views import documents as views

urlpatterns = [
    path("documents/<slug:kind>/<int:pk>/pdf/", views.document_download, name="document-download"),
    path("documents/<slug:kind>/<int:pk>/pdf/request/", views.document_request, name="document-request"),
    path("documents/<slug:kind>/<int:pk>/pdf/status/", views.document_status, name="document-status"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("download-log/", views.DownloadLogListView.as_view(), name="download-log"),
    path("download-log/csv/", views.download_log_csv, name="download-log-csv"),
]
