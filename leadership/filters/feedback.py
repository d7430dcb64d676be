"""Filters of the employee quality feedback box (5.1.1.h)."""

import django_filters
from django.db.models import Q

from leadership.models import Department
from leadership.models.feedback import EmployeeFeedback
from leadership.selectors.feedback import overdue_q
from qms.filters import FilterSet


class EmployeeFeedbackFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=EmployeeFeedback.Status.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=EmployeeFeedback.Kind.choices, empty_label="Problems and ideas")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), empty_label="All departments")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue for an answer")

    class Meta:
        model = EmployeeFeedback
        fields = ["q", "status", "kind", "department", "overdue"]

    def search(self, queryset, name, value):
        # The reporter's name is not searchable: a search must not single out who sent what.
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
