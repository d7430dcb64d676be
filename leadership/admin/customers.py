"""Admin of customer focus (5.1.2). Lifecycle steps are read-only here: they go through the pages or the API."""

from django.contrib import admin

from leadership.models.customers import Customer, CustomerFeedback, CustomerRequirement, OrderVolume, ResponseTarget
from qms.admin import HistoryAdmin


@admin.register(Customer)
class CustomerAdmin(HistoryAdmin):
    list_display = ["name", "account_code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "account_code"]


@admin.register(CustomerFeedback)
class CustomerFeedbackAdmin(HistoryAdmin):
    list_display = ["reference", "received_date", "type", "customer", "severity", "department", "owner", "status"]
    list_filter = ["type", "status", "severity", "channel", "department"]
    search_fields = ["reference", "customer__name", "product", "description"]
    list_select_related = ["customer", "department", "owner__user"]
    autocomplete_fields = ["customer", "department", "owner"]
    date_hierarchy = "received_date"
    # Who assessed, responded and closed, and when, is evidence: only the services set it.
    readonly_fields = [
        "reference",
        "status",
        "response_due_on",
        "close_due_on",
        "assessment_note",
        "root_cause",
        "assessed_on",
        "assessed_by",
        "response",
        "responded_on",
        "responded_by",
        "effectiveness_check",
        "closed_on",
        "closed_by",
    ]


@admin.register(ResponseTarget)
class ResponseTargetAdmin(HistoryAdmin):
    list_display = ["severity", "days_to_response", "days_to_close"]


@admin.register(CustomerRequirement)
class CustomerRequirementAdmin(HistoryAdmin):
    list_display = [
        "requirement",
        "customer",
        "category",
        "department",
        "process",
        "source",
        "review_date",
        "is_active",
    ]
    list_filter = ["category", "source", "is_active", "department"]
    search_fields = ["requirement", "process", "source_reference", "customer__name"]
    list_select_related = ["customer", "department"]
    autocomplete_fields = ["customer", "department"]


@admin.register(OrderVolume)
class OrderVolumeAdmin(HistoryAdmin):
    list_display = ["month", "orders", "note"]
    date_hierarchy = "month"
