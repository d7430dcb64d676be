from reviews.urls import actions, audits, calendar, management_reviews, meetings

app_name = "reviews"

urlpatterns = [
    *meetings.urlpatterns,
    *management_reviews.urlpatterns,
    *actions.urlpatterns,
    *audits.urlpatterns,
    *calendar.urlpatterns,
]
