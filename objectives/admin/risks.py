from django.contrib import admin

from objectives.models.risks import Risk
from qms.admin import HistoryAdmin


@admin.register(Risk)
class RiskAdmin(HistoryAdmin):
    list_display = ["reference", "title", "type", "source", "score", "status", "owner", "next_review_date"]
    list_filter = ["type", "source", "status"]
    search_fields = ["reference", "title", "description"]
    list_select_related = ["owner__user"]
    autocomplete_fields = ["owner", "department"]
    filter_horizontal = ["objectives", "customer_requirements"]
    readonly_fields = ["reference", "score", "last_reviewed_on", "last_reviewed_by", "last_review_note"]
