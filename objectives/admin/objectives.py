"""Admin of quality objectives, their action plans and target revisions (read the trail; change through the app)."""

from django.contrib import admin

from objectives.models import ActionPlanStep, Objective, TargetRevision
from qms.admin import HistoryAdmin, ReadOnlyHistoryAdmin


class ActionPlanStepInline(admin.TabularInline):
    model = ActionPlanStep
    extra = 0
    fields = ["order", "what", "resources", "responsible", "due_date", "status", "done_at"]
    autocomplete_fields = ["responsible"]


class TargetRevisionInline(admin.TabularInline):
    """Revisions are decided with an e-signature in the app; the admin only shows them."""

    model = TargetRevision
    extra = 0
    can_delete = False
    fields = ["effective_from", "status", "old_target", "new_target", "reason", "decided_by", "decided_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Objective)
class ObjectiveAdmin(HistoryAdmin):
    list_display = ["reference", "title", "status", "health", "department", "owner", "due_date"]
    list_filter = ["status", "health", "category", "department"]
    search_fields = ["reference", "title", "metric_name"]
    list_select_related = ["department", "owner__user"]
    autocomplete_fields = ["owner", "department", "parent"]
    filter_horizontal = ["kpi_of_positions", "customer_requirements"]
    readonly_fields = [
        "health",
        "forecast_value",
        "projected_to_miss",
        "latest_value",
        "latest_period",
        "health_computed_at",
        "activated_at",
        "closed_at",
    ]
    inlines = [ActionPlanStepInline, TargetRevisionInline]


@admin.register(ActionPlanStep)
class ActionPlanStepAdmin(HistoryAdmin):
    list_display = ["objective", "order", "what", "responsible", "due_date", "status"]
    list_filter = ["status"]
    search_fields = ["objective__reference", "what"]
    list_select_related = ["objective", "responsible__user"]
    autocomplete_fields = ["objective", "responsible"]


@admin.register(TargetRevision)
class TargetRevisionAdmin(ReadOnlyHistoryAdmin):
    """Read-only: a signed decision is never edited, and approval happens in the app with an e-signature."""

    list_display = ["objective", "effective_from", "status", "old_target", "new_target", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["objective__reference", "reason"]
    list_select_related = ["objective", "decided_by"]
