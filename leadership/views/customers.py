"""Pages of customer focus (5.1.2): feedback register and lifecycle, requirements, targets, volumes, figures."""

import csv
import datetime
import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from leadership.filters.customers import (
    CustomerFeedbackFilterSet,
    CustomerRequirementFilterSet,
    OrderVolumeFilterSet,
)
from leadership.forms.customers import (
    CustomerFeedbackAssessForm,
    CustomerFeedbackCloseForm,
    CustomerFeedbackForm,
    CustomerFeedbackImportForm,
    CustomerFeedbackRespondForm,
    CustomerRequirementForm,
    OrderVolumeForm,
    ResponseTargetForm,
)
from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import CustomerFeedback, OrderVolume, ResponseTarget
from leadership.selectors import customers as selectors
from leadership.services import customers as services
from qms.concurrency import EditConflict
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors, edit_conflict_rows
from qms.iso import BY_ID
from qms.views import HtmxFilterListView, ServiceFormView

Status = CustomerFeedback.Status
VIEW_FEEDBACK = "leadership.view_customerfeedback"


class CustomerFormMixin:
    """Supplies the known customer names for the form's suggestions."""

    template_name = "leadership/customers/form_page.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(customer_names=selectors.customer_names(), **kwargs)


# Feedback register --------------------------------------------------------------------------


class CustomerFeedbackListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = VIEW_FEEDBACK
    filterset_class = CustomerFeedbackFilterSet
    template_name = "leadership/customers/feedback_list.html"
    partial_template_name = "leadership/customers/partials/_feedback_table.html"

    def get_queryset(self):
        return selectors.customer_feedback_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counts per status follow every filter but the status one, so each badge says what clicking it shows.
        params = self.request.GET.copy()
        for key in ("status", "page"):
            params.pop(key, None)
        unfiltered_status = self.filterset_class(params, queryset=self.get_queryset(), request=self.request)
        context["status_counts"] = selectors.customer_feedback_status_counts(unfiltered_status.qs)
        context["status_query"] = params.urlencode()
        context["current_status"] = self.request.GET.get("status", "")
        return context


def _feedback_context(request, feedback: CustomerFeedback, **forms) -> dict:
    user = request.user
    can_change = user.has_perm("leadership.change_customerfeedback")
    can_respond = user.has_perm(services.RESPOND_PERMISSION)
    status = feedback.status
    context = {
        "feedback": feedback,
        "due": selectors.customer_feedback_due_dates(feedback),
        "requirements": [BY_ID[i] for i in CustomerFeedback.REQUIREMENT_IDS],
        "can_edit": can_change and status != Status.CLOSED,
        "commitment_logged": CommitmentEntry.objects.filter(
            source=CommitmentEntry.Source.FEEDBACK_RESPONDED,
            source_type__app_label="leadership",
            source_type__model="customerfeedback",
            source_id=str(feedback.pk),
        ).exists()
        if feedback.responded_on
        else False,
    }
    # Each form carries the version shown here, so a step someone took meanwhile is shown, not overwritten.
    opened = {"version": feedback.version}
    if can_change and status == Status.NEW:
        context["assess_form"] = forms.get("assess_form") or CustomerFeedbackAssessForm(initial=opened)
    if can_respond and status == Status.ASSESSED:
        context["respond_form"] = forms.get("respond_form") or CustomerFeedbackRespondForm(initial=opened)
    closable = status == Status.RESPONDED or (status == Status.ASSESSED and not feedback.needs_response)
    if can_change and closable:
        context["close_form"] = forms.get("close_form") or CustomerFeedbackCloseForm(initial=opened)
    if status == Status.ASSESSED and feedback.needs_response and not can_respond:
        context["waiting_for_response"] = True
    if user.has_perm("leadership.view_historicalcustomerfeedback"):
        context["history"] = selectors.history_for(feedback)
    return context


class CustomerFeedbackDetailView(PermissionRequiredMixin, View):
    permission_required = VIEW_FEEDBACK

    def get(self, request, pk):
        feedback = get_object_or_404(selectors.customer_feedback_list(), pk=pk)
        return render(request, "leadership/customers/feedback_detail.html", _feedback_context(request, feedback))


class CustomerFeedbackFormView(CustomerFormMixin, ServiceFormView):
    form_class = CustomerFeedbackForm
    add_permission = "leadership.add_customerfeedback"
    change_permission = "leadership.change_customerfeedback"
    verbose_name = "customer feedback"

    def get_object(self):
        return get_object_or_404(selectors.customer_feedback_list(), pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        editing = "pk" in kwargs and request.user.is_authenticated and self.has_permission()
        if editing and self.object.status == Status.CLOSED:
            messages.error(request, f"{self.object.reference} is closed; its record can no longer be changed.")
            return redirect(self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.object is None:
            return super().get_initial()
        obj = self.object
        return {
            "type": obj.type,
            "customer": obj.customer.name,
            "channel": obj.channel,
            "received_date": obj.received_date,
            "product": obj.product,
            "severity": obj.severity,
            "satisfaction_score": obj.satisfaction_score,
            "description": obj.description,
            "department": obj.department,
            "owner": obj.owner,
        }

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.object or reverse("leadership:customer-feedback-list"))

    def create(self, data):
        return services.customer_feedback_create(actor=self.request.user, **data)

    def update(self, obj, data):
        return services.customer_feedback_update(
            actor=self.request.user, feedback=obj, expected_version=self.expected_version, **data
        )

    def cancel_url(self):
        return reverse("leadership:customer-feedback-list")


class CustomerFeedbackActionView(LoginRequiredMixin, View):
    """A lifecycle step: POST only, one service; errors are shown on the detail page."""

    http_method_names = ["post"]
    permission: str = ""
    form_class = None
    form_name: str = ""
    success: str = ""

    def call(self, feedback, data):
        raise NotImplementedError

    def post(self, request, pk):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        feedback = get_object_or_404(selectors.customer_feedback_list(), pk=pk)
        form = self.form_class(request.POST)
        conflict = None
        if form.is_valid():
            expected_version = form.pop_version()
            try:
                self.call(feedback, {**form.cleaned_data, "expected_version": expected_version})
            except EditConflict as exc:
                # Someone took a step meanwhile: the page shows it, with what this user typed kept.
                conflict = edit_conflict_rows(exc, form)
                form.show_conflict(exc)
                feedback = get_object_or_404(selectors.customer_feedback_list(), pk=pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect(feedback)
            else:
                messages.success(request, self.success.format(reference=feedback.reference))
                return redirect(feedback)
        context = _feedback_context(request, feedback, **{self.form_name: form})
        context[self.form_name] = form
        context["edit_conflict"] = conflict
        return render(request, "leadership/customers/feedback_detail.html", context, status=409 if conflict else 200)


class CustomerFeedbackAssessView(CustomerFeedbackActionView):
    permission = "leadership.change_customerfeedback"
    form_class = CustomerFeedbackAssessForm
    form_name = "assess_form"
    success = "{reference} assessed."

    def call(self, feedback, data):
        services.customer_feedback_assess(actor=self.request.user, feedback=feedback, **data)


class CustomerFeedbackRespondView(CustomerFeedbackActionView):
    permission = services.RESPOND_PERMISSION
    form_class = CustomerFeedbackRespondForm
    form_name = "respond_form"
    success = "Management's response to {reference} recorded."

    def call(self, feedback, data):
        services.customer_feedback_respond(actor=self.request.user, feedback=feedback, **data)


class CustomerFeedbackCloseView(CustomerFeedbackActionView):
    permission = "leadership.change_customerfeedback"
    form_class = CustomerFeedbackCloseForm
    form_name = "close_form"
    success = "{reference} closed."

    def call(self, feedback, data):
        services.customer_feedback_close(actor=self.request.user, feedback=feedback, **data)


# CSV import ---------------------------------------------------------------------------------


def _import_example() -> str:
    """Example rows for the import page, dated in the recent past so they would import as they stand."""
    today = timezone.localdate()
    code = selectors.active_departments().values_list("code", flat=True).first() or "QA"
    rows = [
        services.IMPORT_COLUMNS,
        (
            "complaint",
            "Aerotec Systems",
            "email",
            f"{today - datetime.timedelta(days=6):%Y-%m-%d}",
            "hydraulic valve body",
            "high",
            "",
            "Burrs on 14 of 240 parts at goods-in",
            code,
        ),
        (
            "survey-response",
            "Halden Automotive",
            "survey",
            f"{today - datetime.timedelta(days=3):%Y-%m-%d}",
            "",
            "",
            "8",
            "Reliable; paperwork sometimes late",
            code,
        ),
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


class CustomerFeedbackImportView(PermissionRequiredMixin, FormView):
    permission_required = "leadership.add_customerfeedback"
    form_class = CustomerFeedbackImportForm
    template_name = "leadership/customers/feedback_import.html"

    def get_context_data(self, **kwargs):
        max_bytes, max_rows = services.import_limits()
        return super().get_context_data(
            columns=services.IMPORT_COLUMNS,
            types=CustomerFeedback.Type.choices,
            channels=CustomerFeedback.Channel.choices,
            severities=CustomerFeedback.Severity.choices,
            departments=selectors.active_departments(),
            example=_import_example(),
            max_mb=max_bytes // (1024 * 1024),
            max_rows_text=f"{max_rows:,}",
            **kwargs,
        )

    def form_valid(self, form):
        try:
            result = services.customer_feedback_import(actor=self.request.user, file=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, result.message)
        return redirect("leadership:customer-feedback-list")


class CustomerFeedbackImportTemplateView(PermissionRequiredMixin, View):
    """A CSV holding only the import's header row, to fill in with a spreadsheet.

    No example rows: a template uploaded unchanged must not put made-up feedback in the register.
    The import page shows examples instead.
    """

    permission_required = "leadership.add_customerfeedback"

    def get(self, request):
        buffer = io.StringIO()
        csv.writer(buffer).writerow(services.IMPORT_COLUMNS)
        # A byte-order mark makes Excel open the file as UTF-8.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="customer-feedback-import-template.csv"'
        return response


# Customer requirements ----------------------------------------------------------------------


class CustomerRequirementListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = "leadership.view_customerrequirement"
    filterset_class = CustomerRequirementFilterSet
    template_name = "leadership/customers/requirement_list.html"
    partial_template_name = "leadership/customers/partials/_requirement_table.html"

    def get_queryset(self):
        return selectors.customer_requirement_list()


class CustomerRequirementDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "leadership.view_customerrequirement"
    template_name = "leadership/customers/requirement_detail.html"
    context_object_name = "item"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.customer_requirement_list(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requirements"] = [BY_ID[i] for i in self.object.REQUIREMENT_IDS]
        if self.request.user.has_perm("leadership.view_historicalcustomerrequirement"):
            context["history"] = selectors.history_for(self.object)
        return context


class CustomerRequirementFormView(CustomerFormMixin, ServiceFormView):
    form_class = CustomerRequirementForm
    add_permission = "leadership.add_customerrequirement"
    change_permission = "leadership.change_customerrequirement"
    verbose_name = "customer requirement"

    def get_object(self):
        return get_object_or_404(selectors.customer_requirement_list(), pk=self.kwargs["pk"])

    def get_initial(self):
        if self.object is None:
            return super().get_initial()
        obj = self.object
        return {
            "requirement": obj.requirement,
            "customer": obj.customer.name if obj.customer else "",
            "category": obj.category,
            "department": obj.department,
            "process": obj.process,
            "verification": obj.verification,
            "source": obj.source,
            "source_reference": obj.source_reference,
            "review_date": obj.review_date,
            "is_active": obj.is_active,
        }

    def create(self, data):
        return services.customer_requirement_create(actor=self.request.user, **data)

    def update(self, obj, data):
        return services.customer_requirement_update(actor=self.request.user, item=obj, **data)

    def cancel_url(self):
        return reverse("leadership:customer-requirement-list")


# Response targets ---------------------------------------------------------------------------


class ResponseTargetReadMixin(PermissionRequiredMixin):
    """Everyone who handles feedback may read the targets its due days come from."""

    def has_permission(self):
        user = self.request.user
        return user.has_perm(VIEW_FEEDBACK) or user.has_perm("leadership.view_responsetarget")


class ResponseTargetListView(ResponseTargetReadMixin, TemplateView):
    template_name = "leadership/customers/response_targets.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            targets=selectors.response_target_overview(),
            can_edit=user.has_perm("leadership.change_responsetarget")
            and user.has_perm("leadership.add_responsetarget"),
            **kwargs,
        )


class ResponseTargetFormView(PermissionRequiredMixin, FormView):
    form_class = ResponseTargetForm
    template_name = "qms/form_page.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["severity"] not in CustomerFeedback.Severity.values:
            raise Http404("No such severity.")
        self.severity = CustomerFeedback.Severity(kwargs["severity"])
        self.target = ResponseTarget.objects.filter(severity=self.severity).first()
        return super().dispatch(request, *args, **kwargs)

    def get_permission_required(self):
        return ["leadership.change_responsetarget" if self.target else "leadership.add_responsetarget"]

    def get_initial(self):
        row = next(r for r in selectors.response_target_overview() if r["severity"] == self.severity)
        return {"days_to_response": row["days_to_response"], "days_to_close": row["days_to_close"]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Response target for {self.severity.label.lower()} feedback",
            cancel_url=reverse("leadership:response-target-list"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.response_target_set(actor=self.request.user, severity=self.severity, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Target for {self.severity.label.lower()} feedback saved. It applies to feedback registered from now on.",
        )
        return redirect("leadership:response-target-list")


# Order volumes ------------------------------------------------------------------------------


class OrderVolumeListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = "leadership.view_ordervolume"
    filterset_class = OrderVolumeFilterSet
    template_name = "leadership/customers/order_volume_list.html"
    partial_template_name = "leadership/customers/partials/_order_volume_table.html"

    def get_queryset(self):
        return selectors.order_volume_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("leadership.add_ordervolume"):
            context["form"] = OrderVolumeForm()
        return context


class OrderVolumeFormView(ServiceFormView):
    form_class = OrderVolumeForm
    add_permission = "leadership.add_ordervolume"
    change_permission = "leadership.change_ordervolume"
    verbose_name = "order volume"

    def get_object(self):
        return get_object_or_404(OrderVolume, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "editing": self.object is not None}

    def get_initial(self):
        if self.object is None:
            return super().get_initial()
        return {"month": self.object.month, "orders": self.object.orders, "note": self.object.note}

    def create(self, data):
        return services.order_volume_create(actor=self.request.user, **data)

    def update(self, obj, data):
        data.pop("month", None)
        return services.order_volume_update(actor=self.request.user, volume=obj, **data)

    def cancel_url(self):
        return reverse("leadership:order-volume-list")


# Figures ------------------------------------------------------------------------------------


class CustomerFiguresView(PermissionRequiredMixin, TemplateView):
    permission_required = VIEW_FEEDBACK
    template_name = "leadership/customers/figures.html"

    def get_context_data(self, **kwargs):
        try:
            months = int(self.request.GET.get("months", 12))
        except ValueError:
            months = 12
        return super().get_context_data(
            figures=selectors.customer_figures(months=months),
            targets=selectors.response_target_overview(),
            requirements=[BY_ID[i] for i in CustomerFeedback.REQUIREMENT_IDS],
            **kwargs,
        )
