"""FilterSets shared by the HTML list pages and the API."""

import django_filters
from django.db.models import Q

from leadership.models import Department, Person
from leadership.roles import Role
from qms.filters import FilterSet


class DepartmentFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    parent = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label="Parent department", empty_label="Any parent department"
    )
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = Department
        fields = ["q", "parent", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class PersonFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), empty_label="All departments")
    role = django_filters.ChoiceFilter(
        choices=Role.choices, field_name="user__groups__name", label="Role", empty_label="All roles"
    )
    manager = django_filters.ModelChoiceFilter(queryset=Person.objects.select_related("user"))
    is_active = django_filters.BooleanFilter(field_name="user__is_active", label="Active")

    class Meta:
        model = Person
        fields = ["q", "department", "role", "manager", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
            | Q(user__username__icontains=value)
            | Q(user__email__icontains=value)
            | Q(job_title__icontains=value)
        )
