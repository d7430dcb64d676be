"""Filters of evidence packs, for the pack list page and the API."""

import django_filters

from evidence.models import EvidencePack
from qms.filters import FilterSet


class EvidencePackFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=EvidencePack.Status.choices, empty_label="Any status")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Only mine")

    class Meta:
        model = EvidencePack
        fields = ["status"]

    def filter_mine(self, queryset, name, value):
        if value and self.request is not None and self.request.user.is_authenticated:
            return queryset.filter(requested_by=self.request.user)
        return queryset
