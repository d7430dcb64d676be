"""Filters of the weekly operation reports, shared by the list page and the API."""

import django_filters

from evidence.models import WeeklyReport
from qms.filters import FilterSet


class WeeklyReportFilterSet(FilterSet):
    year = django_filters.NumberFilter(field_name="period_start", lookup_expr="year", label="Year")

    class Meta:
        model = WeeklyReport
        fields = ["year"]
