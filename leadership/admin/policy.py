"""Admin of the quality policy: read-mostly, since the lifecycle runs through the services."""

from django.contrib import admin

from leadership.models.policy import PolicyAcknowledgement, PolicyShareLink, PolicyVersion
from qms.admin import ReadOnlyHistoryAdmin


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "title", "status", "author", "published_at", "superseded_at"]
    list_filter = ["status"]
    search_fields = ["title", "text"]
    list_select_related = ["author"]
    # Approval, publication and signatures happen in Clause5's pages and API, where the rules
    # are checked and the e-signature is asked for; the admin only shows them.
    readonly_fields = [f.name for f in PolicyVersion._meta.fields]


@admin.register(PolicyAcknowledgement)
class PolicyAcknowledgementAdmin(ReadOnlyHistoryAdmin):
    list_display = ["person", "version", "acknowledged_at"]
    list_filter = ["version"]
    search_fields = ["person__user__first_name", "person__user__last_name", "person__user__username"]
    list_select_related = ["person__user", "version"]
    readonly_fields = ["person", "version", "acknowledged_at", "created_at", "updated_at"]


@admin.register(PolicyShareLink)
class PolicyShareLinkAdmin(ReadOnlyHistoryAdmin):
    list_display = ["label", "version", "created_by", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["version", "created_by"]
    readonly_fields = ["version", "token", "label", "created_by", "created_at", "revoked_at", "revoked_by"]
