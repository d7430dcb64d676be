"""Filters of the clause catalogue and of evidence tags, shared by the pages and the API."""

import datetime

import django_filters
from django.db.models import Q

from evidence.models.clauses import Clause, EvidenceTag
from qms.filters import FilterSet
from qms.iso import CLAUSES


def period_errors(start: datetime.date | None, end: datetime.date | None) -> dict[str, str]:
    """What is wrong with a period filter, by field (empty when nothing is)."""
    if start and end and end < start:
        return {"period_end": f"The period ends ({end:%d %b %Y}) before it starts ({start:%d %b %Y})."}
    return {}


class ClauseFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    group = django_filters.ChoiceFilter(
        choices=[(key, f"{key} {title}") for key, title in CLAUSES.items()], empty_label="Every clause"
    )

    class Meta:
        model = Clause
        fields = ["q", "group"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(id__istartswith=value) | Q(text__icontains=value) | Q(expected_evidence__icontains=value)
        )


class EvidenceTagFilterSet(FilterSet):
    clause = django_filters.CharFilter(field_name="clause_id", help_text="A requirement id, e.g. 5.3.e.")
    kind = django_filters.CharFilter(
        method="filter_kind", help_text="The kind of the tagged record as app_label.model, e.g. reviews.meeting."
    )
    object_id = django_filters.CharFilter(help_text="The tagged record's id (with `kind`).")
    active = django_filters.BooleanFilter(method="filter_active", help_text="true: in force; false: removed.")

    class Meta:
        model = EvidenceTag
        fields = ["clause", "kind", "object_id", "active"]

    def filter_kind(self, queryset, name, value):
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)

    def filter_active(self, queryset, name, value):
        return queryset.filter(removed_at__isnull=value)
