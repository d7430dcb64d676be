"""The admin's view of change history: readable, never writable.

simple_history's `SimpleHistoryAdmin` adds a history page to a model's admin and, from it, a form
that "reverts" the record to an old version. That form saves whatever it is posted, whether or not
the Revert button is shown and whether or not the admin allows changes, so it would let a
superuser put an old version over a signed or approved record, past the services that keep such
records immutable. `HistoryAdmin` keeps the history pages and refuses every write through them.
Every app's admin derives from it; `qms.checks` fails the system checks if one does not.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

HISTORY_READ_ONLY = "The change history is read-only: an old version cannot be restored or edited."


class HistoryAdmin(SimpleHistoryAdmin):
    """A model admin whose history pages only show: no revert, no edit of a past version."""

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in {"GET", "HEAD"}:
            raise PermissionDenied(HISTORY_READ_ONLY)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdminMixin:
    """For records only Clause5's pages and API may write (signed, approved, generated): the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """A read-only admin with the record's (read-only) history pages."""
