"""Admin of positions, holders, acknowledgements and the management representative (5.3)."""

from django.contrib import admin

from leadership.models.positions import (
    ManagementRepresentativeAppointment,
    Position,
    PositionAcknowledgement,
    PositionHolder,
)
from leadership.services import positions as services
from qms.admin import HistoryAdmin, ReadOnlyHistoryAdmin


class PositionHolderInline(admin.TabularInline):
    model = PositionHolder
    extra = 0
    raw_id_fields = ["person"]
    can_delete = False


@admin.register(Position)
class PositionAdmin(HistoryAdmin):
    list_display = ["title", "department", "reports_to", "revision", "is_active"]
    list_filter = ["is_active", "department"]
    search_fields = ["title", "responsibilities", "authorities"]
    list_select_related = ["department", "reports_to"]
    readonly_fields = ["revision", "revised_at"]
    raw_id_fields = ["reports_to"]
    inlines = [PositionHolderInline]

    def save_model(self, request, obj, form, change):
        # Through the services, so that a changed description is a new revision here too.
        data = {f: form.cleaned_data[f] for f in services.POSITION_EDITABLE if f in form.cleaned_data}
        if change:
            services.position_update(actor=request.user, position=obj, **data)
        else:
            data.pop("is_active", None)
            created = services.position_create(actor=request.user, **data)
            obj.pk, obj.revision, obj.revised_at = created.pk, created.revision, created.revised_at
            obj._state.adding = False


@admin.register(PositionHolder)
class PositionHolderAdmin(HistoryAdmin):
    list_display = ["position", "person", "start_date", "end_date"]
    list_filter = ["position__department"]
    search_fields = ["position__title", "person__user__last_name", "person__user__first_name"]
    list_select_related = ["position", "person__user"]
    raw_id_fields = ["position", "person"]
    date_hierarchy = "start_date"


@admin.register(PositionAcknowledgement)
class PositionAcknowledgementAdmin(ReadOnlyHistoryAdmin):
    """Read-only: an acknowledgement is the holder's own statement."""

    list_display = ["acknowledged_at", "person", "position", "revision"]
    search_fields = ["position__title", "person__user__last_name"]
    list_select_related = ["position", "person__user"]
    readonly_fields = ["position", "person", "revision", "acknowledged_at", "content_sha256"]


@admin.register(ManagementRepresentativeAppointment)
class ManagementRepresentativeAppointmentAdmin(HistoryAdmin):
    """Drafts only: signing happens on the appointment page, with the signer's password."""

    list_display = ["person", "status", "start_date", "end_date", "budget_limit", "budget_currency"]
    list_filter = ["status"]
    list_select_related = ["person__user"]
    raw_id_fields = ["person"]
    readonly_fields = ["status", "signature", "superseded_by"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
