"""Filters of meetings and meeting types, shared by the list pages and the API."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from leadership.models import Department, Person
from qms.filters import FilterSet
from reviews.models.meetings import AgendaItem, Meeting, MeetingType
from reviews.selectors.meetings import local_day_start

DATE_INPUT = {"type": "date"}


class MeetingFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    type = django_filters.ModelChoiceFilter(queryset=MeetingType.objects.all(), empty_label="Any type")
    status = django_filters.ChoiceFilter(
        choices=[("open", "Planned or held"), *Meeting.Status.choices], method="filter_status", empty_label="Any status"
    )
    chair = django_filters.ModelChoiceFilter(
        queryset=Person.objects.select_related("user").filter(Exists(Meeting.objects.filter(chair=OuterRef("pk")))),
        empty_label="Any chair",
    )
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), empty_label="All departments")
    date_from = django_filters.DateFilter(
        method="filter_from",
        label="From",
        widget=forms.DateInput(attrs=DATE_INPUT),
        help_text="Meetings on or after this day (organisation time zone).",
    )
    date_to = django_filters.DateFilter(
        method="filter_to",
        label="To",
        widget=forms.DateInput(attrs=DATE_INPUT),
        help_text="Meetings on or before this day (organisation time zone).",
    )

    class Meta:
        model = Meeting
        fields = ["q", "type", "status", "chair", "department", "date_from", "date_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        on_agenda = AgendaItem.objects.filter(meeting=OuterRef("pk"), title__icontains=value)
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(place__icontains=value)
            | Q(type__name__icontains=value)
            | Q(Exists(on_agenda))
        )

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=[Meeting.Status.PLANNED, Meeting.Status.HELD])
        return queryset.filter(status=value)

    def filter_from(self, queryset, name, value: datetime.date):
        return queryset.filter(planned_start__gte=local_day_start(value))

    def filter_to(self, queryset, name, value: datetime.date):
        return queryset.filter(planned_start__lt=local_day_start(value + datetime.timedelta(days=1)))


class MeetingTypeFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    category = django_filters.ChoiceFilter(choices=MeetingType.Category.choices, empty_label="Any category")
    frequency = django_filters.ChoiceFilter(choices=MeetingType.Frequency.choices, empty_label="Any schedule")
    is_active = django_filters.BooleanFilter(
        label="In use",
        widget=forms.Select(choices=[("", "In use or not"), ("true", "In use"), ("false", "Retired")]),
    )

    class Meta:
        model = MeetingType
        fields = ["q", "category", "frequency", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value)) if value else queryset
