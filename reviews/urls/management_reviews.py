"""Pages of management reviews (9.3)."""

from django.urls import path

from reviews.views import management_reviews as views

urlpatterns = [
    path("management-reviews/", views.ManagementReviewListView.as_view(), name="management-review-list"),
    path("management-reviews/new/", views.ManagementReviewPrepareView.as_view(), name="management-review-create"),
    path("management-reviews/<int:pk>/", views.management_review_detail, name="management-review-detail"),
    path("management-reviews/<int:pk>/compile/", views.management_review_compile, name="management-review-compile"),
    path("management-reviews/<int:pk>/freeze/", views.management_review_freeze, name="management-review-freeze"),
    path(
        "management-reviews/<int:pk>/conclusions/", views.management_review_conclude, name="management-review-conclude"
    ),
    path(
        "management-reviews/<int:pk>/outputs/", views.management_review_output_add, name="management-review-output-add"
    ),
    path(
        "management-reviews/<int:pk>/outputs/owner/",
        views.management_review_output_assign,
        name="management-review-output-owner",
    ),
    path("management-reviews/<int:pk>/sign/", views.management_review_sign, name="management-review-sign"),
    path("management-reviews/inputs/<int:pk>/note/", views.review_input_note, name="review-input-note"),
    path("management-reviews/inputs/<int:pk>/entries/", views.review_input_entries, name="review-input-entries"),
]
