"""Pages of the risk and opportunity register (6.1, 5.1.1.d, 5.1.2.b)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from leadership.models import Person
from leadership.selectors.people import history_for
from objectives.filters.risks import RiskFilterSet
from objectives.forms.risks import RiskForm, RiskReviewForm
from objectives.models.risks import SCORE_BANDS, Risk
from objectives.selectors import risks as selectors
from objectives.services import risks as services
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors
from qms.views import HtmxFilterListView, ServiceFormView

VIEW = "objectives.view_risk"
CHANGE = "objectives.change_risk"


class RiskListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = VIEW
    filterset_class = RiskFilterSet
    template_name = "objectives/risks/list.html"
    partial_template_name = "objectives/risks/partials/_table.html"

    def get_queryset(self):
        return selectors.risk_list()


def _get(pk) -> Risk:
    try:
        return selectors.risk_get(pk)
    except Risk.DoesNotExist as exc:
        raise Http404("No such risk or opportunity.") from exc


def _detail(request, risk: Risk, review_form: RiskReviewForm | None = None):
    user = request.user
    context = {
        "risk": risk,
        "may_change": user.has_perm(CHANGE),
        "review_form": review_form or RiskReviewForm(),
        "requirement_ids": Risk.REQUIREMENT_IDS,
    }
    if user.has_perm("objectives.view_historicalrisk"):
        context["history"] = history_for(risk)
    return render(request, "objectives/risks/detail.html", context)


@login_required
def risk_detail(request, pk: int):
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    return _detail(request, _get(pk))


class RiskFormView(ServiceFormView):
    form_class = RiskForm
    add_permission = "objectives.add_risk"
    change_permission = CHANGE
    verbose_name = "risk or opportunity"

    def get_object(self):
        return _get(self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_initial(self):
        initial = super().get_initial()
        if self.object is None:
            person = Person.objects.filter(user=self.request.user).only("pk", "department_id").first()
            if person is not None:
                initial.update(owner=person.pk, department=person.department_id)
        return initial

    def form_valid(self, form):
        # A closed risk refuses changes until reopened: show why on the form, keep the input.
        try:
            return super().form_valid(form)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            form.add_error(None, exc.message)
            return self.form_invalid(form)

    def create(self, data):
        return services.risk_create(actor=self.request.user, **data)

    def update(self, obj, data):
        return services.risk_update(actor=self.request.user, risk=obj, **data)

    def cancel_url(self):
        return reverse("objectives:risk-list")


@login_required
@require_POST
def risk_review(request, pk: int):
    """Mark the risk reviewed by the signed-in user today, with the date of the next review."""
    if not (request.user.has_perm(CHANGE) and request.user.has_perm(VIEW)):
        raise PermissionDenied
    risk = _get(pk)
    form = RiskReviewForm(request.POST)
    if form.is_valid():
        try:
            services.risk_mark_reviewed(actor=request.user, risk=risk, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(risk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{risk.reference} marked reviewed.")
            return redirect(risk)
    return _detail(request, risk, review_form=form)


class RiskHeatMapView(PermissionRequiredMixin, TemplateView):
    """Likelihood x impact grid of the register, risks or opportunities, closed ones left out."""

    permission_required = VIEW
    template_name = "objectives/risks/heat_map.html"

    def get_context_data(self, **kwargs):
        kind = self.request.GET.get("type", Risk.Type.RISK)
        if kind not in Risk.Type.values:
            kind = Risk.Type.RISK
        maps = selectors.risk_heat_map()
        return super().get_context_data(map=maps[kind], maps=maps.values(), type=kind, bands=SCORE_BANDS, **kwargs)
