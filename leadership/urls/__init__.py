from leadership.urls import commitment, customers, feedback, people, policy, positions, resources

app_name = "leadership"

urlpatterns = [
    *people.urlpatterns,
    *policy.urlpatterns,
    *positions.urlpatterns,
    *commitment.urlpatterns,
    *resources.urlpatterns,
    *customers.urlpatterns,
    *feedback.urlpatterns,
]
