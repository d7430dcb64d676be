"""Pages of the leadership commitment log (5.1.1)."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView

from leadership.filters.commitment import CommitmentEntryFilterSet
from leadership.forms.commitment import CommitmentEntryForm
from leadership.selectors import commitment as selectors
from leadership.selectors.people import history_for
from leadership.services import commitment as services
from qms.views import HtmxFilterListView, ServiceFormView


class CommitmentListView(PermissionRequiredMixin, HtmxFilterListView):
    """The log, with the 12-month coverage of the 5.1.1 items above it."""

    permission_required = "leadership.view_commitmententry"
    filterset_class = CommitmentEntryFilterSet
    template_name = "leadership/commitment/list.html"
    partial_template_name = "leadership/commitment/partials/_table.html"

    def get_queryset(self):
        return selectors.commitment_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not getattr(self.request, "htmx", False):
            context["coverage"] = selectors.commitment_coverage()
            context["top_managers"] = selectors.top_managers()
        return context


class CommitmentPersonView(PermissionRequiredMixin, DetailView):
    """One top manager's actions: coverage of the 5.1.1 items and the entries behind it."""

    permission_required = "leadership.view_commitmententry"
    template_name = "leadership/commitment/person.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.top_managers(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["coverage"] = selectors.commitment_coverage(person=self.object)
        context["entries"] = selectors.commitment_list().filter(person=self.object)[:200]
        return context


class CommitmentDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "leadership.view_commitmententry"
    template_name = "leadership/commitment/detail.html"
    context_object_name = "entry"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.commitment_list(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requirements"] = [r for r in selectors.COMMITMENT_ITEMS if r.id in self.object.requirement_ids]
        if self.request.user.has_perm("leadership.view_historicalcommitmententry"):
            context["history"] = history_for(self.object)
        return context


class CommitmentCreateView(ServiceFormView):
    form_class = CommitmentEntryForm
    add_permission = "leadership.add_commitmententry"
    verbose_name = "commitment entry"

    def create(self, data):
        return services.commitment_record(actor=self.request.user, **data)

    def cancel_url(self):
        return reverse("leadership:commitment-list")
