"""API routes of the employee quality feedback box (5.1.1.h)."""

from leadership.api.views.feedback import EmployeeFeedbackViewSet


def register(router) -> None:
    router.register("employee-feedback", EmployeeFeedbackViewSet, basename="employeefeedback")


urlpatterns = []
