"""Urls of the employee quality feedback box (5.1.1.h)."""

from django.urls import path

from leadership.views import feedback as views

urlpatterns = [
    path("feedback/", views.EmployeeFeedbackListView.as_view(), name="employee-feedback-list"),
    path("feedback/new/", views.EmployeeFeedbackSubmitView.as_view(), name="employee-feedback-submit"),
    path("feedback/mine/", views.MyFeedbackView.as_view(), name="employee-feedback-mine"),
    path("feedback/follow-up/", views.employee_feedback_follow_up, name="employee-feedback-follow-up"),
    path("feedback/<int:pk>/", views.employee_feedback_detail, name="employee-feedback-detail"),
    path("feedback/<int:pk>/acknowledge/", views.employee_feedback_acknowledge, name="employee-feedback-acknowledge"),
    path("feedback/<int:pk>/answer/", views.employee_feedback_answer, name="employee-feedback-answer"),
    path("feedback/<int:pk>/close/", views.employee_feedback_close, name="employee-feedback-close"),
]
