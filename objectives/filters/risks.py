"""Filters of the risk and opportunity register, shared by the list page and the API."""

import django_filters
from django import forms
from django.db.models import Q

from leadership.models import Department, Person
from objectives.models import Objective
from objectives.models.risks import SCORE_BANDS, Risk
from qms.filters import FilterSet

SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class RiskFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    type = django_filters.ChoiceFilter(choices=Risk.Type.choices, empty_label="Any type")
    source = django_filters.ChoiceFilter(choices=Risk.Source.choices, empty_label="Any source")
    status = django_filters.ChoiceFilter(
        choices=[("active", "Not closed"), *Risk.Status.choices], method="filter_status", empty_label="Any status"
    )
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.select_related("user"), empty_label="Any owner")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), empty_label="All departments")
    band = django_filters.ChoiceFilter(
        choices=[(key, label) for key, label, _low, _high in SCORE_BANDS],
        method="filter_band",
        empty_label="Any score",
        label="Score band",
    )
    review_overdue = django_filters.BooleanFilter(
        label="Review overdue",
        widget=forms.Select(choices=[("", "Any review date"), ("true", "Review overdue"), ("false", "Review not due")]),
    )
    likelihood = django_filters.ChoiceFilter(choices=SCALE_CHOICES, empty_label="Any likelihood")
    impact = django_filters.ChoiceFilter(choices=SCALE_CHOICES, empty_label="Any impact")
    objective = django_filters.ModelChoiceFilter(
        field_name="objectives", queryset=Objective.objects.all(), label="Objective", empty_label="Any objective"
    )

    class Meta:
        model = Risk
        fields = [
            "q",
            "type",
            "source",
            "status",
            "owner",
            "department",
            "band",
            "review_overdue",
            "likelihood",
            "impact",
            "objective",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(treatment__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.exclude(status=Risk.Status.CLOSED)
        return queryset.filter(status=value)

    def filter_band(self, queryset, name, value):
        for key, _label, low, high in SCORE_BANDS:
            if key == value:
                return queryset.filter(score__gte=low, score__lte=high)
        return queryset
