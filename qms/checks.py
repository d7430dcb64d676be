"""System checks that keep the change history read-only in the admin (see `qms.admin`)."""

from django.contrib import admin
from django.core import checks
from simple_history.admin import SimpleHistoryAdmin

from qms.admin import HistoryAdmin
from qms.history import is_history_model


@checks.register(checks.Tags.admin)
def history_admin_read_only(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every admin with history pages is a `HistoryAdmin`; no table of past versions has an admin of its own."""
    errors = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if is_history_model(model):
            errors.append(
                checks.Error(
                    f"{label} is a table of past versions and is registered in the admin, where it could be edited.",
                    hint="Unregister it: the history is shown on its record's admin through qms.admin.HistoryAdmin.",
                    obj=type(model_admin),
                    id="qms.E001",
                )
            )
        elif isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(model_admin, HistoryAdmin):
            errors.append(
                checks.Error(
                    f"The admin of {label} derives from SimpleHistoryAdmin, whose revert form rewrites the record.",
                    hint="Derive it from qms.admin.HistoryAdmin, which shows the history read-only.",
                    obj=type(model_admin),
                    id="qms.E002",
                )
            )
    return errors
