"""Pages of quality objectives: the objective page, create and edit, lifecycle, plan, target revisions, cascade."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from leadership.models import Department, Person
from leadership.selectors.people import history_for
from objectives.filters.objectives import TargetRevisionFilterSet
from objectives.forms.objectives import (
    ActionPlanStepForm,
    CancelForm,
    CloseForm,
    ObjectiveForm,
    RevisionDecisionForm,
    TargetRevisionForm,
)
from objectives.models import ActionPlanStep, Objective, TargetRevision
from objectives.models.objectives import format_target, format_value
from objectives.selectors import objectives as selectors
from objectives.selectors.measurements import objective_measurement_panel
from objectives.services import objectives as services
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors
from qms.views import HtmxFilterListView, ServiceFormView

VIEW = "objectives.view_objective"
DETAIL_TEMPLATE = "objectives/objectives/objective_detail.html"
PLAN_TEMPLATE = "objectives/objectives/partials/_plan.html"


def objective_list_url() -> str:
    """The objectives list (built in the measurements area), or the departments overview until it exists."""
    try:
        return reverse("objectives:objective-list")
    except NoReverseMatch:
        return reverse("objectives:objective-departments")


def _require(request, *permissions: str) -> None:
    if not request.user.has_perms(permissions):
        raise PermissionDenied


def _get_objective(pk) -> Objective:
    try:
        return selectors.objective_get(pk)
    except Objective.DoesNotExist as exc:
        raise Http404("No such objective.") from exc


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# The objective page ---------------------------------------------------------------------------


def _plan_context(
    request,
    objective: Objective,
    *,
    add_form=None,
    edit_form=None,
    editing: int | None = None,
    notice: str = "",
    problem: str = "",
) -> dict:
    may_plan = selectors.objective_may_plan(request.user, objective)
    may_change_steps = may_plan and request.user.has_perm("objectives.change_actionplanstep")
    context = {
        "objective": objective,
        "steps": list(objective.plan_steps.all()),
        "may_plan": may_plan,
        "may_change_steps": may_change_steps,
        "editing": editing,
        "edit_form": edit_form,
        # Shown inside the plan card, since an htmx swap does not show the page's messages.
        "plan_notice": notice,
        "plan_problem": problem,
    }
    if may_plan:
        context["add_form"] = add_form or ActionPlanStepForm(
            auto_id="id_step_%s", initial={"responsible": objective.owner_id}
        )
    return context


def _revision_row(objective: Objective, revision: TargetRevision) -> dict:
    """A revision with its values written out in the objective's unit, for the revisions table."""
    unit, direction = objective.unit, objective.direction
    return {
        "revision": revision,
        "intact": selectors.target_revision_signature_intact(revision),
        "old_target": format_target(direction, revision.old_target, revision.old_target_upper, unit),
        "new_target": format_target(direction, revision.new_target, revision.new_target_upper, unit),
        "old_tolerance": format_value(revision.old_tolerance, unit),
        "new_tolerance": format_value(revision.new_tolerance, unit),
    }


def _detail_context(request, objective: Objective, **forms) -> dict:
    user = request.user
    revisions = list(objective.revisions.all())
    pending = next((r for r in revisions if r.status == TargetRevision.Status.PROPOSED), None)
    may_transition = selectors.objective_may_transition(user, objective)
    may_decide = (
        pending is not None
        and user.has_perm("objectives.approve_targetrevision")
        and pending.proposed_by_id != user.pk
        and objective.status == Objective.Status.ACTIVE
    )
    context = {
        "objective": objective,
        "objectives_url": objective_list_url(),
        "ancestors": selectors.objective_ancestors(objective),
        "cascade": selectors.objective_cascade(objective),
        "revisions": [_revision_row(objective, r) for r in reversed(revisions)],
        "pending_revision": pending,
        "targets_in_force": [
            {
                "from": day,
                "target": format_target(objective.direction, target, upper, objective.unit),
                "tolerance": format_value(tolerance, objective.unit),
            }
            for day, target, upper, tolerance in selectors.targets_in_force(objective)
        ],
        "measurement_panel": objective_measurement_panel(objective, user=user),
        "may_edit": selectors.objective_may_edit(user, objective),
        "may_activate": objective.status == Objective.Status.DRAFT and may_transition,
        "may_close": objective.status == Objective.Status.ACTIVE and may_transition,
        "may_cancel": objective.is_open and may_transition,
        "may_propose": pending is None and selectors.objective_may_propose_revision(user, objective),
        "may_decide": may_decide,
        **_plan_context(request, objective, add_form=forms.get("add_form")),
    }
    if objective.status == Objective.Status.DRAFT:
        context["activation_gaps"] = selectors.objective_activation_gaps(objective)
    if context["may_close"]:
        context["close_form"] = forms.get("close_form") or CloseForm(auto_id="id_close_%s")
    if context["may_cancel"]:
        context["cancel_form"] = forms.get("cancel_form") or CancelForm(auto_id="id_cancel_%s")
    if may_decide:
        context["approve_form"] = forms.get("approve_form") or RevisionDecisionForm(auto_id="id_approve_%s")
        context["reject_form"] = forms.get("reject_form") or RevisionDecisionForm(auto_id="id_reject_%s")
    if user.has_perm("objectives.view_historicalobjective"):
        context["history"] = history_for(objective)
    return context


@login_required
def objective_detail(request, pk: int):
    _require(request, VIEW)
    objective = _get_objective(pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, objective))


def _render_detail(request, pk: int, **forms):
    return render(request, DETAIL_TEMPLATE, _detail_context(request, _get_objective(pk), **forms))


# Create and edit ------------------------------------------------------------------------------


class ObjectiveFormView(ServiceFormView):
    form_class = ObjectiveForm
    template_name = "objectives/objectives/objective_form.html"
    add_permission = "objectives.add_objective"
    change_permission = "objectives.change_objective"
    verbose_name = "objective"

    def get_object(self):
        return get_object_or_404(Objective.objects.select_related("department", "owner"), pk=self.kwargs["pk"])

    def has_permission(self):
        if not super().has_permission():
            return False
        return self.object is None or selectors.objective_scope_ok(self.request.user, self.object)

    def dispatch(self, request, *args, **kwargs):
        if self.object is not None and not self.object.is_open and self.has_permission():
            messages.error(
                request,
                f"{self.object.reference} is {self.object.get_status_display().lower()}: a closed objective cannot "
                "be edited.",
            )
            return redirect(self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_initial(self):
        initial = super().get_initial()
        if self.object is None:
            person = Person.objects.filter(user=self.request.user).select_related("department").first()
            if person is not None:
                initial.setdefault("owner", person.pk)
                headed = person.headed_departments.filter(is_active=True).first()
                department = headed or person.department
                if department is not None:
                    initial.setdefault("department", department.pk)
            parent = self.request.GET.get("parent", "")
            if parent.isdigit():
                initial.setdefault("parent", int(parent))
        return initial

    def create(self, data):
        return services.objective_create(actor=self.request.user, **data)

    def update(self, obj, data):
        data.pop("reference", None)
        return services.objective_update(
            actor=self.request.user, objective=obj, expected_version=self.expected_version, **data
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ApplicationError as exc:
            for field in exc.extra.get("fields", []):
                if field in form.fields:
                    form.add_error(field, "Propose a target revision to change this value.")
            form.add_error(None, exc.message)
            messages.error(self.request, exc.message)
            return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["revised_fields"] = Objective.REVISED_FIELDS
        return context

    def cancel_url(self):
        return objective_list_url()


# Lifecycle ------------------------------------------------------------------------------------


@login_required
@require_POST
def objective_activate(request, pk: int):
    _require(request, VIEW, "objectives.activate_objective")
    objective = get_object_or_404(Objective, pk=pk)
    try:
        services.objective_activate(actor=request.user, objective=objective)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        missing = "; ".join(" ".join(m) for m in exc.message_dict.values())
        messages.error(request, f"{objective.reference} cannot be activated yet. Missing: {missing}")
    else:
        messages.success(request, f"{objective.reference} is active; its owner and plan owners have been told.")
    return redirect(objective)


@login_required
@require_POST
def objective_close(request, pk: int):
    _require(request, VIEW, "objectives.activate_objective")
    objective = get_object_or_404(Objective, pk=pk)
    if not selectors.objective_scope_ok(request.user, objective):
        # Refused before the input is read (the service decides again).
        raise PermissionDenied
    form = CloseForm(request.POST, auto_id="id_close_%s")
    if form.is_valid():
        try:
            services.objective_close(actor=request.user, objective=objective, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(objective)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            objective.refresh_from_db(fields=["status"])
            messages.success(request, f"{objective.reference} closed as {objective.get_status_display().lower()}.")
            return redirect(objective)
    return _render_detail(request, pk, close_form=form)


@login_required
@require_POST
def objective_cancel(request, pk: int):
    _require(request, VIEW, "objectives.activate_objective")
    objective = get_object_or_404(Objective, pk=pk)
    if not selectors.objective_scope_ok(request.user, objective):
        # Refused before the input is read (the service decides again).
        raise PermissionDenied
    form = CancelForm(request.POST, auto_id="id_cancel_%s")
    if form.is_valid():
        try:
            services.objective_cancel(actor=request.user, objective=objective, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(objective)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{objective.reference} cancelled.")
            return redirect(objective)
    return _render_detail(request, pk, cancel_form=form)


# Action plan (inline, htmx) -------------------------------------------------------------------


def _plan_response(request, pk: int, **kwargs):
    """The plan card alone for htmx; the objective page otherwise."""
    objective = _get_objective(pk)
    if request.htmx:
        return render(request, PLAN_TEMPLATE, _plan_context(request, objective, **kwargs))
    return render(request, DETAIL_TEMPLATE, _detail_context(request, objective, **kwargs))


def _plan_done(request, objective_pk: int, message: str):
    if request.htmx:
        return render(request, PLAN_TEMPLATE, _plan_context(request, _get_objective(objective_pk), notice=message))
    messages.success(request, message)
    return redirect(reverse("objectives:objective-detail", args=[objective_pk]) + "#plan")


def _plan_refused(request, objective_pk: int, message: str):
    if request.htmx:
        return render(request, PLAN_TEMPLATE, _plan_context(request, _get_objective(objective_pk), problem=message))
    messages.error(request, message)
    return redirect(reverse("objectives:objective-detail", args=[objective_pk]) + "#plan")


@login_required
@require_POST
def plan_step_create(request, pk: int):
    _require(request, VIEW, "objectives.add_actionplanstep")
    objective = get_object_or_404(Objective, pk=pk)
    if not selectors.objective_scope_ok(request.user, objective):
        # Refused before the input is read (the service decides again).
        raise PermissionDenied
    form = ActionPlanStepForm(request.POST, auto_id="id_step_%s")
    if form.is_valid():
        try:
            step = services.action_plan_step_create(actor=request.user, objective=objective, **form.cleaned_data)
        except ApplicationError as exc:
            return _plan_refused(request, pk, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _plan_done(request, pk, f"Step {step.order} added to the plan of {objective.reference}.")
    return _plan_response(request, pk, add_form=form)


@login_required
def plan_step_update(request, pk: int):
    """Edit a step: inline in the plan card with htmx, or on its own page without."""
    _require(request, VIEW, "objectives.change_actionplanstep")
    step = get_object_or_404(ActionPlanStep.objects.select_related("objective"), pk=pk)
    objective = step.objective
    if not selectors.objective_may_plan(request.user, objective):
        if not objective.is_open:
            return _plan_refused(request, objective.pk, f"{objective.reference} is closed: its plan is kept as it was.")
        raise PermissionDenied
    form = ActionPlanStepForm(request.POST or None, instance=step, auto_id=f"id_edit_{step.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            services.action_plan_step_update(actor=request.user, step=step, **form.cleaned_data)
        except ApplicationError as exc:
            return _plan_refused(request, objective.pk, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _plan_done(request, objective.pk, f"Step {step.order} of {objective.reference} saved.")
    if request.htmx:
        context = _plan_context(request, _get_objective(objective.pk), edit_form=form, editing=step.pk)
        return render(request, PLAN_TEMPLATE, context)
    return render(
        request,
        "qms/form_page.html",
        {
            "form": form,
            "title": f"Edit step {step.order} of {objective.reference}",
            "cancel_url": step.get_absolute_url(),
        },
    )


@login_required
@require_POST
def plan_step_done(request, pk: int):
    _require(request, VIEW, "objectives.change_actionplanstep")
    step = get_object_or_404(ActionPlanStep.objects.select_related("objective"), pk=pk)
    try:
        services.action_plan_step_mark_done(actor=request.user, step=step)
    except ApplicationError as exc:
        return _plan_refused(request, step.objective_id, exc.message)
    except ValidationError as exc:
        return _plan_refused(request, step.objective_id, _error_text(exc))
    return _plan_done(request, step.objective_id, f"Step {step.order} of {step.objective.reference} marked done.")


# Target revisions -----------------------------------------------------------------------------


class TargetRevisionProposeView(PermissionRequiredMixin, FormView):
    """Propose new target values for an active objective, with the reason (6.2.1.g)."""

    permission_required = (VIEW, "objectives.add_targetrevision")
    form_class = TargetRevisionForm
    template_name = "objectives/objectives/revision_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.objective = get_object_or_404(Objective.objects.select_related("department", "owner"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self):
        return super().has_permission() and selectors.objective_scope_ok(self.request.user, self.objective)

    def get(self, request, *args, **kwargs):
        if self.objective.status != Objective.Status.ACTIVE:
            messages.error(
                request,
                f"{self.objective.reference} is {self.objective.get_status_display().lower()}: only an active "
                "objective's target is revised.",
            )
            return redirect(self.objective)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "objective": self.objective}

    def form_valid(self, form):
        try:
            services.target_revision_propose(actor=self.request.user, objective=self.objective, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.objective)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Target revision of {self.objective.reference} proposed; top management has been asked."
        )
        return redirect(reverse("objectives:objective-detail", args=[self.objective.pk]) + "#revisions")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            objective=self.objective, targets_in_force=selectors.targets_in_force(self.objective), **kwargs
        )


def _decide(request, pk: int, approve: bool):
    _require(request, VIEW, "objectives.approve_targetrevision")
    revision = get_object_or_404(TargetRevision.objects.select_related("objective"), pk=pk)
    prefix = "approve" if approve else "reject"
    form = RevisionDecisionForm(request.POST, auto_id=f"id_{prefix}_%s")
    if form.is_valid():
        service = services.target_revision_approve if approve else services.target_revision_reject
        try:
            service(
                actor=request.user,
                revision=revision,
                password=form.cleaned_data["password"],
                otp_code=form.cleaned_data["otp_code"],
                decision_note=form.cleaned_data["decision_note"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(revision)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = "approved; the objective now uses the new values" if approve else "rejected"
            messages.success(request, f"Target revision of {revision.objective.reference} {done}.")
            return redirect(revision)
    return _render_detail(request, revision.objective_id, **{f"{prefix}_form": form})


@login_required
@require_POST
def target_revision_approve(request, pk: int):
    return _decide(request, pk, approve=True)


@login_required
@require_POST
def target_revision_reject(request, pk: int):
    return _decide(request, pk, approve=False)


class TargetRevisionListView(PermissionRequiredMixin, HtmxFilterListView):
    """Target revisions, newest first; top management filters on those waiting for a decision."""

    permission_required = "objectives.view_targetrevision"
    filterset_class = TargetRevisionFilterSet
    template_name = "objectives/objectives/revision_list.html"
    partial_template_name = "objectives/objectives/partials/_revision_table.html"

    def get_queryset(self):
        return selectors.target_revision_list()


# The cascade by department and by person ------------------------------------------------------


@login_required
def department_overview(request):
    """Every active department with the health of its active objectives."""
    _require(request, VIEW)
    company = selectors.health_counts(Objective.objects.filter(department__isnull=True))
    context = {"departments": selectors.department_objective_overview(), "company": company}
    return render(request, "objectives/objectives/department_overview.html", context)


@login_required
def department_objectives(request, pk: int):
    """A department's objectives with their health and what each contributes to."""
    _require(request, VIEW)
    department = get_object_or_404(Department.objects.select_related("head__user", "parent"), pk=pk)
    objectives = list(selectors.department_objectives(department))
    context = {
        "department": department,
        "objectives": objectives,
        "counts": selectors.health_counts(Objective.objects.filter(department=department)),
        "may_add": request.user.has_perm("objectives.add_objective")
        and selectors.objective_in_scope(
            request.user, department_id=department.pk, department_head_id=department.head_id, owner_id=None
        ),
    }
    return render(request, "objectives/objectives/department_objectives.html", context)


@login_required
def person_objectives(request, pk: int):
    """A manager's objectives: KPIs of the positions they hold, those they own, their open plan steps."""
    _require(request, VIEW)
    person = get_object_or_404(Person.objects.select_related("user", "department"), pk=pk)
    context = {"person": person, **selectors.person_objectives(person)}
    return render(request, "objectives/objectives/person_objectives.html", context)


@login_required
def my_objectives(request):
    """The signed-in user's own objectives page."""
    _require(request, VIEW)
    person = Person.objects.filter(user=request.user).only("pk").first()
    if person is None:
        messages.info(request, "Your account has no person profile yet; ask your management representative.")
        return redirect("home")
    return redirect("objectives:person-objectives", pk=person.pk)
