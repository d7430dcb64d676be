from evidence.urls import attachments, clauses

app_name = "evidence"

urlpatterns = [*attachments.urlpatterns, *clauses.urlpatterns]
