from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("attachments/upload/", views.attachment_upload, name="attachment-upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
]
