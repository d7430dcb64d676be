from evidence.urls import access, attachments, clauses, documents, packs, readiness, reports

app_name = "evidence"

urlpatterns = [
    *attachments.urlpatterns,
    *clauses.urlpatterns,
    *readiness.urlpatterns,
    *packs.urlpatterns,
    *documents.urlpatterns,
    *access.urlpatterns,
    *reports.urlpatterns,
]
