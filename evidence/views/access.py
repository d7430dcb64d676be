"""Pages of auditor access: the auditor accounts with their periods, granting, changing, inviting."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from evidence.filters.access import AuditorAccountFilterSet
from evidence.forms.access import AuditorAccessForm, AuditorInviteForm
from evidence.models import AuditorAccess
from evidence.selectors import access as selectors
from evidence.services import access as services
from qms.views import HtmxFilterListView, ServiceFormView

VIEW = "evidence.view_auditoraccess"
ADD = "evidence.add_auditoraccess"
CHANGE = "evidence.change_auditoraccess"


class AuditorAccountListView(PermissionRequiredMixin, HtmxFilterListView):
    """Every account holding the Auditor role: organisation, access period, status, last login."""

    permission_required = VIEW
    filterset_class = AuditorAccountFilterSet
    template_name = "evidence/access/list.html"
    partial_template_name = "evidence/access/partials/_table.html"

    def get_queryset(self):
        return selectors.auditor_account_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), status_labels=selectors.Status.LABELS, **kwargs)


class AuditorAccessFormView(ServiceFormView):
    form_class = AuditorAccessForm
    add_permission = ADD
    change_permission = CHANGE
    verbose_name = "auditor access"

    def get_object(self):
        try:
            return selectors.auditor_access_get(self.kwargs["pk"])
        except AuditorAccess.DoesNotExist as exc:
            raise Http404("No such auditor access.") from exc

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_initial(self):
        initial = super().get_initial()
        # "Limit" on the list opens this form for one account.
        if self.object is None and self.request.GET.get("user", "").isdigit():
            initial["user"] = int(self.request.GET["user"])
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object is not None:
            user = self.object.user
            context["title"] = f"Access of {user.get_full_name() or user.get_username()}"
        else:
            context["title"] = "Grant auditor access"
        return context

    def create(self, data):
        return services.auditor_access_create(actor=self.request.user, **data)

    def update(self, obj, data):
        return services.auditor_access_update(actor=self.request.user, access=obj, **data)

    def cancel_url(self):
        return reverse("evidence:auditor-access-list")


class AuditorInviteView(ServiceFormView):
    """Create an external auditor's account (Auditor role only) with its period; the invitation follows."""

    form_class = AuditorInviteForm
    verbose_name = "auditor access"

    def get_permission_required(self):
        # Inviting creates an account, so it also takes the right to add people.
        return [ADD, "leadership.add_person"]

    def get_object(self):
        return None

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": "Invite an external auditor"}

    def create(self, data):
        return services.auditor_invite(actor=self.request.user, **data)

    def cancel_url(self):
        return reverse("evidence:auditor-access-list")
