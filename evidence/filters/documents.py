"""Filters of the download log, shared by its page, its CSV export and the API."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from evidence.models import DownloadLog
from qms.filters import FilterSet


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class UserChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = UserChoiceField


class DownloadLogFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    user = UserChoiceFilter(
        queryset=get_user_model().objects.order_by("first_name", "last_name", "username"),
        empty_label="Anyone",
        label="Who",
    )
    kind = django_filters.ChoiceFilter(choices=DownloadLog.Kind.choices, empty_label="Any kind")
    date_from = django_filters.DateFilter(
        field_name="downloaded_at",
        lookup_expr="date__gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="downloaded_at",
        lookup_expr="date__lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = DownloadLog
        fields = ["q", "user", "kind", "date_from", "date_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(file_name__icontains=value) | Q(sha256__istartswith=value.lower()))
