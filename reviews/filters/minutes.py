"""Filters of minutes: decisions and attendance, shared by pages and the API."""

import django_filters
from django.db.models import Q

from leadership.models import Person
from qms.filters import FilterSet
from reviews.models.meetings import Attendee, Decision, Meeting


class DecisionFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    meeting = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all(), empty_label="Any meeting")
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.select_related("user"), empty_label="Any owner")
    output_category = django_filters.ChoiceFilter(
        choices=Decision.OutputCategory.choices, empty_label="Any 9.3.3 output", label="9.3.3 output"
    )
    has_actions = django_filters.BooleanFilter(method="filter_has_actions", label="Has actions")

    class Meta:
        model = Decision
        fields = ["q", "meeting", "owner", "output_category", "has_actions"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(text__icontains=value) | Q(meeting__reference__icontains=value))

    def filter_has_actions(self, queryset, name, value):
        return queryset.filter(actions__isnull=not value).distinct()


class AttendeeFilterSet(FilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all(), empty_label="Any meeting")
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.select_related("user"), empty_label="Anyone")
    status = django_filters.ChoiceFilter(choices=Attendee.Status.choices, empty_label="Any attendance")

    class Meta:
        model = Attendee
        fields = ["meeting", "person", "status"]
