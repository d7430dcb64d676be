from objectives.urls import measurements, objectives, risks

app_name = "objectives"

urlpatterns = [*objectives.urlpatterns, *measurements.urlpatterns, *risks.urlpatterns]
