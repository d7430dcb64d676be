"""Filters of resource requests and the quality budget (5.1.1.e, 7.1)."""

import django_filters
from django.db.models import Q

from leadership.models import Department
from leadership.models.resources import QualityBudget, ResourceRequest
from qms.filters import FilterSet, YearFilter


class ResourceRequestFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=ResourceRequest.Status.choices, empty_label="Any status")
    category = django_filters.ChoiceFilter(choices=ResourceRequest.Category.choices, empty_label="Any category")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), empty_label="All departments")
    # The year a request counts in, the same rule as the budget page: its needed-by date.
    year = YearFilter(field_name="needed_by", lookup_expr="year", label="Year needed")

    class Meta:
        model = ResourceRequest
        fields = ["q", "status", "category", "department", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(serves__icontains=value)
            | Q(requester__user__first_name__icontains=value)
            | Q(requester__user__last_name__icontains=value)
        )


class QualityBudgetFilterSet(FilterSet):
    category = django_filters.ChoiceFilter(choices=QualityBudget.Category.choices, empty_label="Any category")

    class Meta:
        model = QualityBudget
        fields = ["year", "category"]
