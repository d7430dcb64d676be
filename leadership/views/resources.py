"""Views of resource requests and the quality budget (5.1.1.e, 7.1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from leadership.filters.resources import ResourceRequestFilterSet
from leadership.forms.resources import BudgetPlanForm, DecisionForm, ResourceRequestForm, SpendForm
from leadership.models.resources import ResourceRequest
from leadership.selectors import resources as selectors
from leadership.selectors.people import history_for
from leadership.services import resources as services
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors
from qms.views import HtmxFilterListView, ServiceFormView

# Requests ------------------------------------------------------------------------------------


class ResourceRequestListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = "leadership.view_resourcerequest"
    filterset_class = ResourceRequestFilterSet
    template_name = "leadership/resources/request_list.html"
    partial_template_name = "leadership/resources/partials/_request_table.html"

    def get_queryset(self):
        return selectors.resource_request_list()


def _detail_context(request, resource_request: ResourceRequest, **forms) -> dict:
    user = request.user
    submitted = resource_request.status == ResourceRequest.Status.SUBMITTED
    is_requester = resource_request.requester.user_id == user.pk
    may_decide = submitted and user.has_perm("leadership.decide_resourcerequest") and not is_requester
    context = {
        "resource_request": resource_request,
        "spends": list(resource_request.spends.all()),
        "signature": resource_request.decision_signature,
        "intact": selectors.resource_request_signature_intact(resource_request),
        "may_edit": submitted
        and (
            user.has_perm("leadership.change_resourcerequest")
            or (is_requester and user.has_perm("leadership.add_resourcerequest"))
        ),
        "may_withdraw": submitted and is_requester,
        "may_decide": may_decide,
        "may_spend": resource_request.status == ResourceRequest.Status.APPROVED
        and user.has_perm("leadership.change_resourcerequest"),
    }
    if may_decide:
        context["approve_form"] = forms.get("approve_form") or DecisionForm(auto_id="id_approve_%s")
        context["reject_form"] = forms.get("reject_form") or DecisionForm(auto_id="id_reject_%s")
    if context["may_spend"]:
        context["spend_form"] = forms.get("spend_form") or SpendForm()
    if resource_request.spent and resource_request.spent > resource_request.amount:
        context["overspent"] = resource_request.spent - resource_request.amount
    if user.has_perm("leadership.view_historicalresourcerequest"):
        context["history"] = history_for(resource_request)
    return context


def _get_request(pk) -> ResourceRequest:
    try:
        return selectors.resource_request_get(pk)
    except ResourceRequest.DoesNotExist as exc:
        raise Http404("No such resource request.") from exc


class ResourceRequestDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "leadership.view_resourcerequest"
    template_name = "leadership/resources/request_detail.html"
    context_object_name = "resource_request"

    def get_object(self, queryset=None):
        return _get_request(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_detail_context(self.request, self.object)}


class ResourceRequestFormView(ServiceFormView):
    form_class = ResourceRequestForm
    add_permission = "leadership.add_resourcerequest"
    change_permission = "leadership.change_resourcerequest"
    verbose_name = "resource request"

    def has_permission(self):
        if self.object is not None and self.object.requester.user_id == self.request.user.pk:
            # Requesters edit their own requests while submitted; the service checks the state.
            return self.request.user.has_perm(self.add_permission)
        return super().has_permission()

    def get_object(self):
        return get_object_or_404(ResourceRequest.objects.select_related("requester"), pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if self.object is not None and self.object.status != ResourceRequest.Status.SUBMITTED and self.has_permission():
            messages.error(
                request,
                f"{self.object.reference} is {self.object.get_status_display().lower()}: "
                "only a submitted request can be edited.",
            )
            return redirect(self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def create(self, data):
        return services.resource_request_create(actor=self.request.user, **data)

    def update(self, obj, data):
        return services.resource_request_update(actor=self.request.user, request=obj, **data)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.object)

    def cancel_url(self):
        return reverse("leadership:resource-request-list")


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _decide(request, pk: int, approve: bool):
    _require(request, "leadership.view_resourcerequest")
    _require(request, "leadership.decide_resourcerequest")
    resource_request = _get_request(pk)
    prefix = "approve" if approve else "reject"
    form = DecisionForm(request.POST, auto_id=f"id_{prefix}_%s")
    if form.is_valid():
        service = services.resource_request_approve if approve else services.resource_request_reject
        try:
            service(
                actor=request.user,
                request=resource_request,
                password=form.cleaned_data["password"],
                otp_code=form.cleaned_data["otp_code"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(resource_request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = "approved" if approve else "rejected"
            messages.success(request, f"{resource_request.reference} {done} and signed.")
            return redirect(resource_request)
    resource_request = _get_request(pk)
    context = _detail_context(request, resource_request, **{f"{prefix}_form": form})
    return render(request, "leadership/resources/request_detail.html", context)


@login_required
@require_POST
def resource_request_approve(request, pk: int):
    return _decide(request, pk, approve=True)


@login_required
@require_POST
def resource_request_reject(request, pk: int):
    return _decide(request, pk, approve=False)


@login_required
@require_POST
def resource_request_withdraw(request, pk: int):
    _require(request, "leadership.view_resourcerequest")
    resource_request = get_object_or_404(ResourceRequest, pk=pk)
    try:
        services.resource_request_withdraw(actor=request.user, request=resource_request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{resource_request.reference} withdrawn.")
    return redirect(resource_request)


@login_required
@require_POST
def resource_request_spend(request, pk: int):
    _require(request, "leadership.view_resourcerequest")
    _require(request, "leadership.change_resourcerequest")
    resource_request = get_object_or_404(ResourceRequest, pk=pk)
    form = SpendForm(request.POST)
    if form.is_valid():
        try:
            spend = services.resource_spend_record(actor=request.user, request=resource_request, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(resource_request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            amount = f"{resource_request.currency} {spend.amount:,.2f}"
            messages.success(request, f"Spending of {amount} recorded on {resource_request.reference}.")
            return redirect(resource_request)
    context = _detail_context(request, _get_request(pk), spend_form=form)
    return render(request, "leadership/resources/request_detail.html", context)


# Budget --------------------------------------------------------------------------------------


def _budget_context(request, year: int, plan_forms: dict | None = None) -> dict:
    summary = selectors.quality_budget_summary(year)
    may_plan = request.user.has_perm("leadership.change_qualitybudget") and request.user.has_perm(
        "leadership.add_qualitybudget"
    )
    plan_forms = plan_forms or {}
    for row in summary["categories"]:
        if may_plan:
            row["plan_form"] = plan_forms.get(row["category"]) or BudgetPlanForm(
                auto_id=f"id_{row['category']}_%s",
                initial={
                    "category": row["category"],
                    "planned_amount": row["planned"],
                    "currency": row["currency"],
                },
            )
    return {
        "summary": summary,
        "year": year,
        "years": selectors.budget_years(),
        "may_plan": may_plan,
        "open_category": next(iter(plan_forms), None),
    }


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404("No budget for that year.")


@login_required
def quality_budget(request, year: int | None = None):
    """The year's quality budget per category: planned, approved, spent, remaining."""
    _require(request, "leadership.view_qualitybudget")
    if year is None:
        chosen = request.GET.get("year", "")
        return redirect(
            "leadership:quality-budget", year=int(chosen) if chosen.isdigit() else timezone.localdate().year
        )
    _check_year(year)
    return render(request, "leadership/resources/budget.html", _budget_context(request, year))


@login_required
@require_POST
def quality_budget_plan(request, year: int):
    """Set the planned amount of one category for the year (creates the line when missing)."""
    _require(request, "leadership.add_qualitybudget")
    _require(request, "leadership.change_qualitybudget")
    _check_year(year)
    category = request.POST.get("category", "")
    if category not in ResourceRequest.Category.values:
        messages.error(request, "Choose one of the budget categories.")
        return redirect("leadership:quality-budget", year=year)
    form = BudgetPlanForm(request.POST, auto_id=f"id_{category}_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.quality_budget_set(
                actor=request.user,
                year=year,
                category=data["category"],
                planned_amount=data["planned_amount"],
                currency=data["currency"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            label = dict(ResourceRequest.Category.choices)[data["category"]]
            messages.success(request, f"{year} budget for {label} saved.")
            return redirect("leadership:quality-budget", year=year)
    context = _budget_context(request, year, plan_forms={category: form})
    return render(request, "leadership/resources/budget.html", context, status=200)
