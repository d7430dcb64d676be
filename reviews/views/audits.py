"""Pages of internal audits and their findings (9.2, 9.3.2.c.6).

The audit page shows the scope and the findings with their actions. Findings are added, closed
and given actions inline with htmx (the findings card is swapped); without JavaScript the same
URLs work as plain form pages and redirects.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from leadership.selectors.people import history_for
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors
from qms.views import HtmxFilterListView, ServiceFormView
from reviews.filters.audits import AuditFindingFilterSet, InternalAuditFilterSet
from reviews.forms.audits import (
    AuditFindingForm,
    FindingActionForm,
    InternalAuditCancelForm,
    InternalAuditCompleteForm,
    InternalAuditForm,
)
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.selectors import audits as selectors
from reviews.services import audits as services

VIEW_AUDIT = "reviews.view_internalaudit"
ADD_AUDIT = "reviews.add_internalaudit"
CHANGE_AUDIT = "reviews.change_internalaudit"
VIEW_FINDING = "reviews.view_auditfinding"
ADD_FINDING = "reviews.add_auditfinding"
CHANGE_FINDING = "reviews.change_auditfinding"
ADD_ACTION = "reviews.add_action"

DETAIL_TEMPLATE = "reviews/audits/audit_detail.html"
FINDINGS_TEMPLATE = "reviews/audits/partials/_findings.html"
FORM_TEMPLATE = "qms/form_page.html"


def _get_audit(pk) -> InternalAudit:
    try:
        return selectors.internal_audit_get(pk)
    except InternalAudit.DoesNotExist as exc:
        raise Http404("No such internal audit.") from exc


def _get_finding(pk) -> AuditFinding:
    try:
        return selectors.audit_finding_get(pk)
    except AuditFinding.DoesNotExist as exc:
        raise Http404("No such audit finding.") from exc


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# Lists ---------------------------------------------------------------------------------------


class InternalAuditListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = VIEW_AUDIT
    filterset_class = InternalAuditFilterSet
    template_name = "reviews/audits/audit_list.html"
    partial_template_name = "reviews/audits/partials/_audit_table.html"

    def get_queryset(self):
        return selectors.internal_audit_list()


class AuditFindingListView(PermissionRequiredMixin, HtmxFilterListView):
    """The findings register: every finding of every audit, with its actions and their states."""

    permission_required = VIEW_FINDING
    filterset_class = AuditFindingFilterSet
    template_name = "reviews/audits/finding_list.html"
    partial_template_name = "reviews/audits/partials/_finding_table.html"

    def get_queryset(self):
        return selectors.audit_finding_list()


# The audit page ------------------------------------------------------------------------------


def _findings_context(
    request,
    audit: InternalAudit,
    *,
    add_form: AuditFindingForm | None = None,
    action_form: FindingActionForm | None = None,
    action_for: int | None = None,
    notice: str = "",
    problem: str = "",
) -> dict:
    user = request.user
    findings = list(audit.findings.all())
    may_add = audit.status != InternalAudit.Status.CANCELLED and user.has_perm(ADD_FINDING)
    may_change = user.has_perm(CHANGE_FINDING)
    context = {
        "audit": audit,
        "findings": findings,
        "may_add_finding": may_add,
        "may_change_finding": may_change,
        "may_close_finding": may_change and audit.status == InternalAudit.Status.COMPLETED,
        "may_add_action": may_change and user.has_perm(ADD_ACTION),
        "action_for": action_for,
        "action_form": action_form,
        # Shown inside the card, since an htmx swap does not show the page's messages.
        "findings_notice": notice,
        "findings_problem": problem,
    }
    if may_add:
        context["add_form"] = add_form or AuditFindingForm(audit=audit, auto_id="id_finding_%s")
    return context


def _detail_context(request, audit: InternalAudit, *, cancel_form=None, **findings) -> dict:
    user = request.user
    planned = audit.status == InternalAudit.Status.PLANNED
    context = {
        **_findings_context(request, audit, **findings),
        "departments": list(audit.departments.all()),
        "processes": audit.processes.splitlines(),
        "may_change_audit": planned and user.has_perm(CHANGE_AUDIT),
        "cancel_form": cancel_form or InternalAuditCancelForm(auto_id="id_cancel_%s"),
        "cancel_open": cancel_form is not None,
        "requirement_ids": InternalAudit.REQUIREMENT_IDS,
    }
    if user.has_perm("reviews.view_historicalinternalaudit"):
        context["history"] = history_for(audit)
    return context


class InternalAuditDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = (VIEW_AUDIT, VIEW_FINDING)
    template_name = DETAIL_TEMPLATE

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_detail_context(self.request, _get_audit(self.kwargs["pk"]))}


def _findings_response(request, audit_pk: int, **kwargs):
    """The findings card alone for htmx; the whole audit page otherwise."""
    audit = _get_audit(audit_pk)
    if request.htmx:
        return render(request, FINDINGS_TEMPLATE, _findings_context(request, audit, **kwargs))
    return render(request, DETAIL_TEMPLATE, _detail_context(request, audit, **kwargs))


def _findings_done(request, audit_pk: int, message: str, anchor: str = "findings"):
    if request.htmx:
        return render(request, FINDINGS_TEMPLATE, _findings_context(request, _get_audit(audit_pk), notice=message))
    messages.success(request, message)
    return redirect(reverse("reviews:audit-detail", args=[audit_pk]) + f"#{anchor}")


def _findings_refused(request, audit_pk: int, message: str):
    if request.htmx:
        return render(request, FINDINGS_TEMPLATE, _findings_context(request, _get_audit(audit_pk), problem=message))
    messages.error(request, message)
    return redirect(reverse("reviews:audit-detail", args=[audit_pk]) + "#findings")


# Planning, editing, completing, cancelling ---------------------------------------------------


class InternalAuditFormView(ServiceFormView):
    form_class = InternalAuditForm
    add_permission = ADD_AUDIT
    change_permission = CHANGE_AUDIT
    verbose_name = "internal audit"

    def get_object(self):
        return _get_audit(self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        audit = self.object if request.user.is_authenticated and self.has_permission() else None
        if audit is not None and audit.status != InternalAudit.Status.PLANNED:
            messages.error(
                request, f"{audit.reference} is {audit.get_status_display().lower()}: it can no longer be edited."
            )
            return redirect(audit)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.object or reverse("reviews:audit-list"))

    def create(self, data):
        return services.internal_audit_plan(actor=self.request.user, **data)

    def update(self, obj, data):
        return services.internal_audit_update(actor=self.request.user, audit=obj, **data)

    def cancel_url(self):
        return reverse("reviews:audit-list")


class InternalAuditCompleteView(PermissionRequiredMixin, FormView):
    """Record the date the audit was carried out and its conclusion."""

    permission_required = (VIEW_AUDIT, CHANGE_AUDIT)
    form_class = InternalAuditCompleteForm
    template_name = FORM_TEMPLATE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.audit = _get_audit(kwargs["pk"])
            if self.audit.status != InternalAudit.Status.PLANNED:
                messages.error(request, f"{self.audit.reference} is already {self.audit.get_status_display().lower()}.")
                return redirect(self.audit)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Complete {self.audit.reference}: {self.audit.title}",
            cancel_url=self.audit.get_absolute_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.internal_audit_complete(actor=self.request.user, audit=self.audit, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.audit)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, f"{self.audit.reference} completed. The heads of the audited departments are told."
        )
        return redirect(self.audit)


class InternalAuditCancelView(PermissionRequiredMixin, View):
    http_method_names = ["post"]
    permission_required = (VIEW_AUDIT, CHANGE_AUDIT)

    def post(self, request, pk: int):
        audit = _get_audit(pk)
        form = InternalAuditCancelForm(request.POST, auto_id="id_cancel_%s")
        if form.is_valid():
            try:
                services.internal_audit_cancel(actor=request.user, audit=audit, **form.cleaned_data)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect(audit)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{audit.reference} cancelled.")
                return redirect(audit)
        return render(request, DETAIL_TEMPLATE, _detail_context(request, audit, cancel_form=form))


# Findings ------------------------------------------------------------------------------------


class AuditFindingCreateView(PermissionRequiredMixin, View):
    """Record a finding: inline on the audit page with htmx, or on its own page."""

    permission_required = (VIEW_AUDIT, ADD_FINDING)

    def _form_page(self, request, audit, form):
        context = {"form": form, "title": f"New finding of {audit.reference}", "cancel_url": audit.get_absolute_url()}
        return render(request, FORM_TEMPLATE, context)

    def get(self, request, pk: int):
        audit = _get_audit(pk)
        if audit.status == InternalAudit.Status.CANCELLED:
            return _findings_refused(request, audit.pk, f"{audit.reference} was cancelled: it takes no findings.")
        return self._form_page(request, audit, AuditFindingForm(audit=audit, auto_id="id_finding_%s"))

    def post(self, request, pk: int):
        audit = _get_audit(pk)
        form = AuditFindingForm(request.POST, audit=audit, auto_id="id_finding_%s")
        if form.is_valid():
            try:
                finding = services.audit_finding_add(actor=request.user, audit=audit, **form.cleaned_data)
            except ApplicationError as exc:
                return _findings_refused(request, audit.pk, exc.message)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                message = f"{finding.label} recorded ({finding.get_kind_display().lower()})."
                return _findings_done(request, audit.pk, message, anchor=f"finding-{finding.pk}")
        if request.htmx:
            return _findings_response(request, audit.pk, add_form=form)
        return self._form_page(request, audit, form)


class AuditFindingUpdateView(ServiceFormView):
    form_class = AuditFindingForm
    add_permission = ADD_FINDING
    change_permission = CHANGE_FINDING
    verbose_name = "finding"

    def get_object(self):
        return _get_finding(self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        finding = self.object if request.user.is_authenticated and self.has_permission() else None
        if finding is not None and finding.closed_at is not None:
            messages.error(request, f"{finding.label} is closed: it is kept as it was closed.")
            return redirect(finding)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "audit": self.object.audit}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": f"Edit {self.object.label}"}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.object)

    def update(self, obj, data):
        return services.audit_finding_update(actor=self.request.user, finding=obj, **data)


class AuditFindingCloseView(PermissionRequiredMixin, View):
    http_method_names = ["post"]
    permission_required = (VIEW_FINDING, CHANGE_FINDING)

    def post(self, request, pk: int):
        finding = _get_finding(pk)
        try:
            services.audit_finding_close(actor=request.user, finding=finding)
        except ApplicationError as exc:
            return _findings_refused(request, finding.audit_id, exc.message)
        return _findings_done(request, finding.audit_id, f"{finding.label} closed.", anchor=f"finding-{finding.pk}")


class AuditFindingAddActionView(PermissionRequiredMixin, View):
    """Open an action in the register for a finding: inline under the finding with htmx, or on its own page."""

    permission_required = (VIEW_FINDING, CHANGE_FINDING, ADD_ACTION)

    def _respond(self, request, finding, form):
        if request.htmx:
            return _findings_response(request, finding.audit_id, action_form=form, action_for=finding.pk)
        context = {
            "form": form,
            "title": f"New action for {finding.label}: {finding.get_kind_display().lower()}",
            "cancel_url": finding.get_absolute_url(),
        }
        return render(request, FORM_TEMPLATE, context)

    def get(self, request, pk: int):
        finding = _get_finding(pk)
        if finding.closed_at is not None:
            return _findings_refused(request, finding.audit_id, f"{finding.label} is closed.")
        return self._respond(request, finding, FindingActionForm(finding=finding, auto_id=f"id_action_{pk}_%s"))

    def post(self, request, pk: int):
        finding = _get_finding(pk)
        form = FindingActionForm(request.POST, finding=finding, auto_id=f"id_action_{pk}_%s")
        if form.is_valid():
            try:
                action = services.audit_finding_add_action(actor=request.user, finding=finding, **form.cleaned_data)
            except ApplicationError as exc:
                return _findings_refused(request, finding.audit_id, exc.message)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                message = f"{action.reference} opened for {finding.label}, owned by {action.owner}."
                return _findings_done(request, finding.audit_id, message, anchor=f"finding-{finding.pk}")
        return self._respond(request, finding, form)
