from reviews.urls import actions, audits, calendar, management_reviews, meetings, minutes

app_name = "reviews"

urlpatterns = [
    *meetings.urlpatterns,
    *minutes.urlpatterns,
    *management_reviews.urlpatterns,
    *actions.urlpatterns,
    *audits.urlpatterns,
    *calendar.urlpatterns,
]
