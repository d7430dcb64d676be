"""Admin of meeting types and meetings, with their full history.

Meeting types are configuration and may be corrected here, under the same rules as the app's
form. Meetings change only through the services (the pages and the API), which keep references,
invitees and the held/signed lifecycle right, so the admin only reads them.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from qms.admin import HistoryAdmin, ReadOnlyHistoryAdmin
from reviews.models.meetings import AgendaItem, Attendee, Meeting, MeetingType
from reviews.services.meetings import MEETING_TYPE_EDITABLE, meeting_type_validate


class MeetingTypeAdminForm(forms.ModelForm):
    default_link = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = MeetingType
        fields = [*MEETING_TYPE_EDITABLE, "is_active"]

    def _post_clean(self):
        super()._post_clean()
        try:
            meeting_type_validate(self.instance)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, errors)
                elif field not in self.fields:
                    self.add_error(None, errors)


@admin.register(MeetingType)
class MeetingTypeAdmin(HistoryAdmin):
    form = MeetingTypeAdminForm
    list_display = ["name", "category", "frequency", "first_occurrence", "plan_ahead", "default_chair", "is_active"]
    list_filter = ["category", "frequency", "is_active", "is_quality_meeting"]
    search_fields = ["name", "description"]
    list_select_related = ["default_chair__user"]
    autocomplete_fields = ["default_chair"]
    filter_horizontal = ["default_invitees"]

    def has_delete_permission(self, request, obj=None):
        # Meetings point at their type; a type no longer used is retired (is_active), not deleted.
        return False


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttendeeInline(_ReadOnlyInline):
    model = Attendee
    fields = ["person", "status", "note"]
    readonly_fields = fields


class AgendaItemInline(_ReadOnlyInline):
    model = AgendaItem
    fields = ["order", "title", "presenter", "duration_minutes"]
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["reference", "title", "type", "planned_start", "chair", "status", "scheduled"]
    list_filter = ["status", "type", "scheduled"]
    search_fields = ["reference", "title", "place"]
    list_select_related = ["type", "chair__user"]
    date_hierarchy = "planned_start"
    readonly_fields = [f.name for f in Meeting._meta.fields]
    inlines = [AttendeeInline, AgendaItemInline]
