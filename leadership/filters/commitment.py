"""Filters of the leadership commitment log (5.1.1), shared by the page and the API."""

import django_filters

from leadership.models import Person
from leadership.models.commitment import CommitmentEntry
from leadership.roles import Role
from qms.filters import FilterSet
from qms.iso import requirement_choices


class CommitmentEntryFilterSet(FilterSet):
    person = django_filters.ModelChoiceFilter(
        queryset=Person.objects.filter(user__groups__name=Role.TOP_MANAGEMENT).select_related("user"),
        empty_label="All top managers",
    )
    requirement = django_filters.ChoiceFilter(
        choices=requirement_choices("5.1.1."), method="filter_requirement", empty_label="All 5.1.1 items", label="Item"
    )
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="From")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="To")
    source = django_filters.ChoiceFilter(choices=CommitmentEntry.Source.choices, empty_label="Any source")

    class Meta:
        model = CommitmentEntry
        fields = ["person", "requirement", "date_from", "date_to", "source"]

    def filter_requirement(self, queryset, name, value):
        # JSON containment is not portable to SQLite; an exact quoted match in the list's text is.
        return queryset.filter(requirement_ids__icontains=f'"{value}"')
