"""Filters of the weekly operation reports, shared by the list page and the API."""

from evidence.models import WeeklyReport
from qms.filters import FilterSet, YearFilter


class WeeklyReportFilterSet(FilterSet):
    year = YearFilter(field_name="period_start", lookup_expr="year", label="Year")

    class Meta:
        model = WeeklyReport
        fields = ["year"]
