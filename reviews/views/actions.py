"""Pages of the action register: the register and its CSV export, My actions, detail, create, edit, and the
lifecycle transitions (start, complete, verify or reopen)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from leadership.selectors.people import history_for
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors
from qms.views import HtmxFilterListView, ServiceFormView
from reviews.filters.actions import ActionFilterSet
from reviews.forms.actions import (
    ActionCompleteForm,
    ActionCreateForm,
    ActionForm,
    ActionVerifyForm,
)
from reviews.models.actions import Action
from reviews.selectors import actions as selectors
from reviews.services import actions as services

VIEW = "reviews.view_action"
ADD = "reviews.add_action"
CHANGE = "reviews.change_action"
VERIFY = "reviews.verify_action"


class ActionListView(PermissionRequiredMixin, HtmxFilterListView):
    """The whole register, filtered; every action from every source in one list."""

    permission_required = VIEW
    filterset_class = ActionFilterSet
    template_name = "reviews/actions/list.html"
    partial_template_name = "reviews/actions/partials/_table.html"

    def get_queryset(self):
        return selectors.action_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


EXPORT_COLUMNS = (
    "Reference",
    "Title",
    "Source",
    "Source record",
    "Owner",
    "Department",
    "Priority",
    "Status",
    "Due date",
    "Days overdue",
    "Completed at",
    "Verified by",
    "Verified at",
    "Reopened",
)


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _source_label(action: Action) -> str:
    record = action.source_record
    if action.decision_id:
        return f"{record.meeting.reference} D{record.number}"
    if action.audit_finding_id:
        return f"{record.audit.reference}-F{record.number}"
    return getattr(record, "reference", "") or str(record)


def _csv_safe(value) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def action_export(request):
    """The register as CSV, with the filters of the page it was downloaded from."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    filterset = ActionFilterSet(request.GET, queryset=selectors.action_list().select_related("verified_by__user"))
    if not filterset.is_valid():
        return HttpResponse("; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()), status=400)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="actions-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for action in filterset.qs.iterator(chunk_size=500):
        writer.writerow(
            [
                _csv_safe(v)
                for v in (
                    action.reference,
                    action.title,
                    action.get_source_display(),
                    _source_label(action),
                    action.owner.full_name,
                    action.department or "",
                    action.get_priority_display(),
                    action.get_status_display(),
                    action.due_date.isoformat(),
                    action.days_overdue or "",
                    _local(action.completed_at),
                    action.verified_by.full_name if action.verified_by else "",
                    _local(action.verified_at),
                    action.reopened_count,
                )
            ]
        )
    return response


class MyActionsView(LoginRequiredMixin, TemplateView):
    """The signed-in person's own actions, and the done actions awaiting their verification.

    Open to every signed-in user: everyone may own actions, whatever their role.
    """

    template_name = "reviews/actions/mine.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        mine = list(selectors.action_mine(user))
        context = {
            "open_actions": [a for a in mine if a.is_open],
            "awaiting_actions": [a for a in mine if a.status == Action.Status.DONE],
            "closed_actions": [a for a in mine if a.status == Action.Status.VERIFIED],
            "has_person": selectors.person_of(user) is not None,
            "closed_days": selectors.RECENTLY_CLOSED_DAYS,
            "today": timezone.localdate(),
        }
        if user.has_perm(VERIFY):
            context["to_verify"] = list(selectors.action_awaiting_verification(user))
        return super().get_context_data(**context, **kwargs)


def _get(pk) -> Action:
    try:
        return selectors.action_get(pk)
    except Action.DoesNotExist as exc:
        raise Http404("No such action.") from exc


def _allowed(user, action: Action) -> dict:
    """Which transitions the page offers this user; the services decide again when they are used."""
    person = selectors.person_of(user)
    is_owner = person is not None and person.pk == action.owner_id
    works_on = selectors.action_may_work_on(user, action)
    return {
        "is_owner": is_owner,
        "may_edit": user.has_perm(CHANGE) and action.is_open,
        "may_start": works_on and action.status in (Action.Status.OPEN, Action.Status.REOPENED),
        "may_complete": works_on and action.is_open,
        "may_verify": user.has_perm(VERIFY)
        and person is not None
        and not is_owner
        and action.status == Action.Status.DONE,
        "owner_may_not_verify": user.has_perm(VERIFY) and is_owner and action.status == Action.Status.DONE,
    }


def _detail(request, action: Action, *, complete_form=None, verify_form=None, status=200):
    user = request.user
    context = {
        "action": action,
        "today": timezone.localdate(),
        **_allowed(user, action),
        "complete_form": complete_form or ActionCompleteForm(),
        "verify_form": verify_form or ActionVerifyForm(),
        "verifier": services.action_verifier_for(action) if action.status == Action.Status.DONE else None,
    }
    if user.has_perm("reviews.view_historicalaction"):
        context["history"] = history_for(action)
    return render(request, "reviews/actions/detail.html", context, status=status)


@login_required
def action_detail(request, pk: int):
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    return _detail(request, _get(pk))


class ActionFormView(ServiceFormView):
    """Raise an action from a source record (`?source=risk&record=12`), or edit an open one."""

    add_permission = ADD
    change_permission = CHANGE
    verbose_name = "action"
    template_name = "reviews/actions/form.html"

    def get_form_class(self):
        return ActionForm if self.object is not None else ActionCreateForm

    def get_object(self):
        return _get(self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        if self.object is not None and not self.object.is_open:
            messages.error(
                request,
                f"{self.object.reference} is {self.object.get_status_display().lower()}: "
                "only open, in-progress or reopened actions can be edited.",
            )
            return redirect(self.object)
        return super().get(request, *args, **kwargs)

    def _source(self):
        """The source and record the new action is for, from the query string or the posted form."""
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        source = data.get("source", "")
        return source, selectors.action_source_record(source, data.get("record"))

    def get_initial(self):
        initial = super().get_initial()
        if self.object is not None:
            return {
                **initial,
                "title": self.object.title,
                "description": self.object.description,
                "owner": self.object.owner_id,
                "department": self.object.department_id,
                "due_date": self.object.due_date,
                "priority": self.object.priority,
            }
        source, record = self._source()
        if record is not None:
            initial.update(source=source, record=record.pk)
            owner_id = getattr(record, "owner_id", None)
            if owner_id is not None:
                initial["owner"] = owner_id
            if getattr(record, "department_id", None):
                initial["department"] = record.department_id
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object is None:
            source, record = self._source()
            context["title"] = "New action"
            if record is not None:
                # An unsaved action pointing at the record, so the page shows the source as the register does.
                field = Action.SOURCE_FIELDS[source]
                context["preview"] = Action(source=source, **{field: record})
        return context

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)

    def create(self, data):
        data.pop("record")
        return services.action_create(
            actor=self.request.user,
            source=data.pop("source"),
            source_record=data.pop("source_record"),
            **data,
        )

    def update(self, obj, data):
        return services.action_update(actor=self.request.user, action=obj, **data)

    def cancel_url(self):
        _source, record = self._source()
        if record is not None:
            try:
                return record.get_absolute_url()
            except NoReverseMatch:
                pass
        return reverse("reviews:action-list")


def _back(request, action: Action):
    """Back to where the button was pressed (My actions or the detail page), never off the site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(action)


def _transition(request, pk: int, run, announce, form_class=None, form_key="", may=None):
    """Run one lifecycle service from a POST: refusals become messages, bad input re-renders the form.

    `run(action, data)` calls the service and returns the action; `announce(action)` says what happened.
    `may(user, action)`, when given, refuses with 403 before the input is read.
    """
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    action = _get(pk)
    if may is not None and not may(request.user, action):
        raise PermissionDenied
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(request, action, status=400, **{form_key: form})
    try:
        updated = run(action, form.cleaned_data if form else {})
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(action)
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
            return redirect(action)
        add_service_errors(form, exc)
        return _detail(request, action, status=400, **{form_key: form})
    level, text = announce(updated)
    messages.add_message(request, level, text)
    return _back(request, action)


@login_required
@require_POST
def action_start(request, pk: int):
    return _transition(
        request,
        pk,
        lambda action, data: services.action_start(actor=request.user, action=action),
        lambda action: (messages.SUCCESS, f"{action.reference} is in progress."),
    )


@login_required
@require_POST
def action_complete(request, pk: int):
    return _transition(
        request,
        pk,
        lambda action, data: services.action_complete(actor=request.user, action=action, **data),
        lambda action: (
            messages.SUCCESS,
            f"{action.reference} is done and awaits verification by someone other than its owner.",
        ),
        ActionCompleteForm,
        "complete_form",
        may=selectors.action_may_work_on,
    )


def _verified(action: Action) -> tuple[int, str]:
    if action.status == Action.Status.VERIFIED:
        return messages.SUCCESS, f"{action.reference} verified effective and closed."
    return messages.WARNING, f"{action.reference} was not effective: reopened for {action.owner}."


@login_required
@require_POST
def action_verify(request, pk: int):
    return _transition(
        request,
        pk,
        lambda action, data: services.action_verify(actor=request.user, action=action, **data),
        _verified,
        ActionVerifyForm,
        "verify_form",
        may=lambda user, action: user.has_perm(VERIFY),
    )


def dashboard_panel(request) -> dict:
    """Context of the home dashboard's actions panel: the signed-in user's figures (one or two queries)."""
    return {"figures": selectors.action_figures(request.user), "may_verify": request.user.has_perm(VERIFY)}
