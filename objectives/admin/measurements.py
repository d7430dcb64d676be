"""Admin of measurements: read-only, with the history.

Values are entered and corrected through the pages or the API, whose services require a reason for a
correction and refresh the objective's health; the admin shows the records and their trail.
"""

from django.contrib import admin

from objectives.models import Measurement
from qms.admin import ReadOnlyHistoryAdmin


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyHistoryAdmin):
    list_display = ["objective", "period_start", "value", "entered_by", "created_at", "correction_reason"]
    list_filter = ["objective__department", "objective__frequency"]
    search_fields = ["objective__reference", "objective__title", "comment", "correction_reason"]
    list_select_related = ["objective", "entered_by"]
    date_hierarchy = "period_start"
