"""Filters of the auditor account list."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from evidence.selectors.access import Status
from qms.filters import FilterSet


class AuditorAccountFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(
        field_name="access_status", choices=Status.CHOICES, empty_label="Any status", label="Access"
    )

    class Meta:
        model = get_user_model()
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
            | Q(auditor_access__organisation__icontains=value)
        )
