"""Filters of management reviews, shared by the list page and the API."""

import django_filters
from django.db.models import Q

from qms.filters import FilterSet, YearFilter
from reviews.models.management_reviews import ManagementReview


class ManagementReviewFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=ManagementReview.Status.choices, empty_label="Any status")
    year = YearFilter(field_name="period_end", lookup_expr="year", label="Period ends in")

    class Meta:
        model = ManagementReview
        fields = ["q", "status", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(meeting__reference__icontains=value)
            | Q(meeting__title__icontains=value)
            | Q(meeting__chair__user__last_name__icontains=value)
        )
