"""Admin of internal audits and findings: the same history trail the auditor reads; finished records read-only."""

from django.contrib import admin

from qms.admin import HistoryAdmin
from reviews.models.audits import AuditFinding, InternalAudit


class AuditFindingInline(admin.TabularInline):
    model = AuditFinding
    fields = ["number", "kind", "department", "clause", "description", "closed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # Findings are numbered and checked against the scope by the service: record them in the app.
        return False


@admin.register(InternalAudit)
class InternalAuditAdmin(HistoryAdmin):
    list_display = ["reference", "title", "status", "planned_date", "audit_date", "lead_auditor"]
    list_filter = ["status", "departments"]
    search_fields = ["reference", "title", "criteria", "processes"]
    date_hierarchy = "planned_date"
    list_select_related = ["lead_auditor__user"]
    autocomplete_fields = ["lead_auditor"]
    filter_horizontal = ["departments"]
    inlines = [AuditFindingInline]
    # The lifecycle (completing, cancelling) goes through the services, never the admin.
    readonly_fields = ["reference", "status", "audit_date", "summary"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != InternalAudit.Status.PLANNED:
            # A completed or cancelled audit is a record of what happened.
            return [f.name for f in obj._meta.fields if f.name != "id"] + ["departments"]
        return super().get_readonly_fields(request, obj)

    def has_add_permission(self, request):
        # References, scope and independence rules live in internal_audit_plan: plan audits in the app.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditFinding)
class AuditFindingAdmin(HistoryAdmin):
    list_display = ["__str__", "kind", "department", "clause", "closed_at"]
    list_filter = ["kind", "department"]
    search_fields = ["audit__reference", "description", "clause"]
    list_select_related = ["audit", "department"]
    readonly_fields = ["audit", "number", "closed_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and (obj.closed_at is not None or obj.audit.status == InternalAudit.Status.CANCELLED):
            return [f.name for f in obj._meta.fields if f.name != "id"]
        return super().get_readonly_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
