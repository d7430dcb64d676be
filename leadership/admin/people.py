from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from leadership.models import Department, Person
from qms.admin import HistoryAdmin

User = get_user_model()


@admin.register(Department)
class DepartmentAdmin(HistoryAdmin):
    list_display = ["name", "code", "parent", "head", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["parent", "head__user"]
    autocomplete_fields = ["parent", "head"]


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["full_name", "job_title", "department", "manager"]
    list_filter = ["department"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "job_title"]
    list_select_related = ["user", "department", "manager__user"]
    autocomplete_fields = ["user", "department", "manager"]


class PersonInline(admin.StackedInline):
    model = Person
    fk_name = "user"
    can_delete = False
    autocomplete_fields = ["department", "manager"]


admin.site.unregister(User)


@admin.register(User)
class ClauseUserAdmin(UserAdmin, HistoryAdmin):
    """Users with their person profile edited on the same page."""

    inlines = [PersonInline]
