from django.contrib.auth.decorators import login_required
from django.urls import path

from leadership.views import people as views

urlpatterns = [
    path("departments/", views.DepartmentListView.as_view(), name="department-list"),
    path("departments/new/", views.DepartmentFormView.as_view(), name="department-create"),
    path("departments/<int:pk>/", views.DepartmentDetailView.as_view(), name="department-detail"),
    path("departments/<int:pk>/edit/", views.DepartmentFormView.as_view(), name="department-update"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/new/", views.PersonFormView.as_view(), name="person-create"),
    path("people/me/", login_required(views.my_profile), name="my-profile"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<int:pk>/edit/", views.PersonFormView.as_view(), name="person-update"),
    path("roles/", views.RoleOverviewView.as_view(), name="roles"),
]
