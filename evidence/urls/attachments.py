"""URLs of attachments: upload, and download through a permission check."""

from django.urls import path

from evidence.views import attachments as views

urlpatterns = [
    path("attachments/upload/", views.attachment_upload, name="attachment-upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
]
