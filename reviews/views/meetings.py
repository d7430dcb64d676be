"""Pages of meetings: types and schedules, the meeting list, planning and editing, cancelling, agenda
preparation and top management's attendance of quality meetings (5.1.1, 9.3).

The meeting's own page (`reviews:meeting-detail`) and the minutes are in `reviews.views.minutes`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from leadership.selectors.people import history_for
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors
from qms.views import HtmxFilterListView, ServiceFormView
from reviews.filters.meetings import MeetingFilterSet, MeetingTypeFilterSet
from reviews.forms.meetings import AgendaItemForm, AttendeeAddForm, MeetingCancelForm, MeetingForm, MeetingTypeForm
from reviews.models.meetings import AgendaItem, Attendee, Meeting, MeetingType
from reviews.selectors import meetings as selectors
from reviews.services import meetings as services

VIEW = "reviews.view_meeting"
ADD = "reviews.add_meeting"
CHANGE = "reviews.change_meeting"
TYPE_VIEW = "reviews.view_meetingtype"
TYPE_ADD = "reviews.add_meetingtype"
TYPE_CHANGE = "reviews.change_meetingtype"
# Top management's attendance is a management review matter (9.3.2, 5.1.1): not for every employee.
ATTENDANCE = "reviews.view_managementreview"
AGENDA_TEMPLATE = "reviews/meetings/partials/_agenda.html"
INVITEES_TEMPLATE = "reviews/meetings/partials/_invitees.html"


def _require(request, *permissions: str) -> None:
    if not request.user.has_perms(permissions):
        raise PermissionDenied


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _person(user):
    return getattr(user, "person", None)


# Meeting types ----------------------------------------------------------------------------------


class MeetingTypeListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = TYPE_VIEW
    filterset_class = MeetingTypeFilterSet
    template_name = "reviews/meetings/type_list.html"
    partial_template_name = "reviews/meetings/partials/_type_table.html"

    def get_queryset(self):
        return selectors.meeting_type_list()


def _get_type(pk) -> MeetingType:
    try:
        return selectors.meeting_type_get(pk)
    except MeetingType.DoesNotExist as exc:
        raise Http404("No such meeting type.") from exc


@login_required
def meeting_type_detail(request, pk: int):
    """A type: its defaults, its schedule's next occurrences and the meetings planned from it."""
    _require(request, TYPE_VIEW)
    meeting_type = _get_type(pk)
    context = {
        "meeting_type": meeting_type,
        "occurrences": selectors.meeting_type_next_occurrences(meeting_type),
        "scheduled": selectors.is_scheduled(meeting_type),
        "plans_meetings": selectors.plans_meetings(meeting_type),
        "may_change": request.user.has_perm(TYPE_CHANGE),
        "may_plan": request.user.has_perms([TYPE_CHANGE, ADD]),
        "standing_agenda": [line.strip() for line in meeting_type.default_agenda.splitlines() if line.strip()],
        **selectors.meeting_type_meetings(meeting_type),
    }
    if request.user.has_perm("reviews.view_historicalmeetingtype"):
        context["history"] = history_for(meeting_type)
    return render(request, "reviews/meetings/type_detail.html", context)


class MeetingTypeFormView(ServiceFormView):
    form_class = MeetingTypeForm
    add_permission = TYPE_ADD
    change_permission = TYPE_CHANGE
    verbose_name = "meeting type"

    def get_object(self):
        return _get_type(self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_initial(self):
        # Planning straight away is the natural choice for a new schedule, not for a small edit.
        return {**super().get_initial(), "plan": self.object is None}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)

    def create(self, data):
        return services.meeting_type_create(actor=self.request.user, **data)

    def update(self, obj, data):
        return services.meeting_type_update(actor=self.request.user, meeting_type=obj, **data)

    def cancel_url(self):
        return reverse("reviews:meeting-type-list")


def _type_transition(request, pk: int, service, success: str):
    _require(request, TYPE_VIEW, TYPE_CHANGE)
    meeting_type = get_object_or_404(MeetingType, pk=pk)
    try:
        service(actor=request.user, meeting_type=meeting_type)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success.format(meeting_type))
    return redirect(meeting_type)


@login_required
@require_POST
def meeting_type_deactivate(request, pk: int):
    """Retire the type: no new meetings of it; those already planned stay (cancel them if need be)."""
    return _type_transition(
        request,
        pk,
        services.meeting_type_deactivate,
        "“{}” is retired: it plans no more meetings. Meetings already planned stay; cancel any not needed.",
    )


@login_required
@require_POST
def meeting_type_activate(request, pk: int):
    return _type_transition(request, pk, services.meeting_type_activate, "“{}” is in use again.")


@login_required
@require_POST
def meeting_type_plan(request, pk: int):
    """Plan the schedule's next meetings now instead of waiting for the daily run."""
    _require(request, TYPE_VIEW, TYPE_CHANGE, ADD)
    meeting_type = get_object_or_404(MeetingType, pk=pk)
    try:
        created = services.meeting_type_plan(actor=request.user, meeting_type=meeting_type)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if created:
            listed = ", ".join(m.reference for m in created)
            messages.success(request, f"{len(created)} meeting{'s' if len(created) != 1 else ''} planned: {listed}.")
        else:
            messages.info(
                request, f"The next {meeting_type.plan_ahead} meetings of “{meeting_type}” were planned already."
            )
    return redirect(meeting_type)


# Meetings ---------------------------------------------------------------------------------------


class MeetingListView(PermissionRequiredMixin, HtmxFilterListView):
    """Every meeting: those to come first (soonest first), then past ones (latest first)."""

    permission_required = VIEW
    filterset_class = MeetingFilterSet
    template_name = "reviews/meetings/list.html"
    partial_template_name = "reviews/meetings/partials/_table.html"
    mine = False

    def get_queryset(self):
        return selectors.meeting_list()

    def get_context_data(self, **kwargs):
        url = reverse("reviews:my-meetings" if self.mine else "reviews:meeting-list")
        return super().get_context_data(mine=self.mine, list_url=url, **kwargs)


class MyMeetingsView(MeetingListView):
    """The meetings the signed-in person chairs, takes the minutes of or is invited to."""

    mine = True

    def get_queryset(self):
        return selectors.meeting_list_for(self.person)

    @cached_property
    def person(self):
        return _person(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(me=self.person.pk if self.person else None, **kwargs)


def _get_meeting(pk) -> Meeting:
    try:
        return selectors.meeting_get(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404("No such meeting.") from exc


class MeetingFormView(ServiceFormView):
    """Plan a meeting, or change one that has not been held yet."""

    form_class = MeetingForm
    template_name = "reviews/meetings/form.html"
    add_permission = ADD
    change_permission = CHANGE
    verbose_name = "meeting"

    def get_permission_required(self):
        return [VIEW, *super().get_permission_required()]

    def get_object(self):
        return _get_meeting(self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission() and "pk" in kwargs:
            meeting = self.object
            if meeting.status != Meeting.Status.PLANNED:
                messages.error(
                    request,
                    f"{meeting.reference} is {meeting.get_status_display().lower()}: "
                    "a meeting is edited only before it is held.",
                )
                return redirect(meeting)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        meeting = self.object
        invitees = [a.person for a in selectors.attendees(meeting)] if meeting else []
        return {**kwargs, "meeting": meeting, "invitees": invitees}

    def get_initial(self):
        initial = super().get_initial()
        if self.object is None:
            type_id = self.request.GET.get("type", "")
            if type_id.isdigit():
                initial["type"] = int(type_id)
            person = _person(self.request.user)
            if person is not None:
                initial["department"] = person.department_id
        return initial

    def form_valid(self, form):
        try:
            if self.object is None:
                meeting = services.meeting_create(actor=self.request.user, **form.service_data())
                messages.success(self.request, f"{meeting.reference} planned. Now prepare its agenda.")
                return redirect("reviews:meeting-agenda", pk=meeting.pk)
            meeting = services.meeting_update(actor=self.request.user, meeting=self.object, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, f"{meeting.reference} saved.")
        return redirect(meeting)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object is not None:
            context["cancel_form"] = MeetingCancelForm()
        return context

    def cancel_url(self):
        return reverse("reviews:meeting-list")


def _back(request, default: str) -> str:
    """Where a POST form asked to go back to, if it is a page of this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    """Cancel a planned meeting with the reason the invitees are told."""
    _require(request, VIEW, CHANGE)
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingCancelForm(request.POST)
    back = _back(request, reverse("reviews:meeting-update", args=[meeting.pk]))
    if not form.is_valid():
        messages.error(request, "Say why the meeting is cancelled; the invitees are told.")
        return redirect(back)
    try:
        services.meeting_cancel(actor=request.user, meeting=meeting, **form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(back)
    messages.success(request, f"{meeting.reference} cancelled. The invitees will be told.")
    return redirect(meeting)


# Agenda preparation -----------------------------------------------------------------------------


def _agenda_context(request, meeting: Meeting, **extra) -> dict:
    items = list(selectors.agenda_items(meeting))
    people = list(selectors.attendees(meeting))
    editable = meeting.status == Meeting.Status.PLANNED
    planned_minutes = sum(item.duration_minutes or 0 for item in items)
    context = {
        "meeting": meeting,
        "items": items,
        "attendees": people,
        "editable": editable,
        "planned_minutes": planned_minutes,
        "over_time": planned_minutes > meeting.duration_minutes,
        "untimed": sum(1 for item in items if not item.duration_minutes),
        "may_cancel": editable and request.user.has_perm(CHANGE),
    }
    if context["may_cancel"]:
        context["cancel_form"] = MeetingCancelForm()
    if editable:
        context.setdefault("add_form", AgendaItemForm(auto_id="id_add_%s"))
        context["attendee_form"] = AttendeeAddForm(auto_id="id_invite_%s", exclude=[a.person_id for a in people])
    context.update(extra)
    return context


def _get_for_agenda(request, pk: int) -> Meeting:
    _require(request, VIEW, CHANGE)
    return _get_meeting(pk)


@login_required
def meeting_agenda(request, pk: int):
    """Prepare a planned meeting: its agenda items (with what they link to) and who is invited."""
    meeting = _get_for_agenda(request, pk)
    return render(request, "reviews/meetings/agenda.html", _agenda_context(request, meeting))


def _agenda_answer(
    request, meeting: Meeting, *, notice: str = "", problem: str = "", template=AGENDA_TEMPLATE, **extra
):
    """The changed card alone for htmx; otherwise back to the agenda page with a message (or the page
    itself, when a form has errors to show)."""
    if request.htmx:
        context = _agenda_context(request, _get_meeting(meeting.pk), notice=notice, problem=problem, **extra)
        return render(request, template, context)
    if extra:
        context = _agenda_context(request, _get_meeting(meeting.pk), problem=problem, **extra)
        return render(request, "reviews/meetings/agenda.html", context)
    if problem:
        messages.error(request, problem)
    elif notice:
        messages.success(request, notice)
    return redirect("reviews:meeting-agenda", pk=meeting.pk)


@login_required
@require_POST
def agenda_item_add(request, pk: int):
    meeting = _get_for_agenda(request, pk)
    form = AgendaItemForm(request.POST, auto_id="id_add_%s")
    if form.is_valid():
        try:
            item = services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ApplicationError as exc:
            return _agenda_answer(request, meeting, problem=exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _agenda_answer(request, meeting, notice=f"Item {item.order}, “{item.title}”, added.")
    return _agenda_answer(request, meeting, add_form=form)


def _get_item(request, pk: int) -> AgendaItem:
    _require(request, VIEW, CHANGE)
    return get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)


@login_required
def agenda_item_update(request, pk: int):
    """Edit an item: inline in the agenda card with htmx, or on its own page without."""
    item = _get_item(request, pk)
    meeting = item.meeting
    if meeting.status != Meeting.Status.PLANNED:
        return _agenda_answer(request, meeting, problem=f"{meeting.reference} has been held: its agenda is fixed here.")
    form = AgendaItemForm(request.POST or None, instance=item, auto_id=f"id_item_{item.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ApplicationError as exc:
            return _agenda_answer(request, meeting, problem=exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _agenda_answer(request, meeting, notice=f"Item {item.order} saved.")
    if request.htmx:
        return render(request, AGENDA_TEMPLATE, _agenda_context(request, meeting, edit_form=form, editing=item.pk))
    return render(
        request,
        "qms/form_page.html",
        {
            "form": form,
            "title": f"Edit item {item.order} of {meeting.reference}",
            "cancel_url": reverse("reviews:meeting-agenda", args=[meeting.pk]),
        },
    )


@login_required
@require_POST
def agenda_item_remove(request, pk: int):
    item = _get_item(request, pk)
    try:
        services.agenda_item_remove(actor=request.user, item=item)
    except ApplicationError as exc:
        return _agenda_answer(request, item.meeting, problem=exc.message)
    return _agenda_answer(request, item.meeting, notice=f"“{item.title}” taken off the agenda.")


@login_required
@require_POST
def agenda_item_move(request, pk: int):
    item = _get_item(request, pk)
    try:
        services.agenda_item_move(actor=request.user, item=item, direction=request.POST.get("direction", ""))
    except ApplicationError as exc:
        return _agenda_answer(request, item.meeting, problem=exc.message)
    except ValidationError as exc:
        return _agenda_answer(request, item.meeting, problem=_error_text(exc))
    return _agenda_answer(request, item.meeting)


@login_required
@require_POST
def attendee_add(request, pk: int):
    meeting = _get_for_agenda(request, pk)
    form = AttendeeAddForm(request.POST, auto_id="id_invite_%s")
    if form.is_valid():
        try:
            attendee = services.attendee_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ApplicationError as exc:
            return _agenda_answer(request, meeting, problem=exc.message, template=INVITEES_TEMPLATE)
        except ValidationError as exc:
            return _agenda_answer(request, meeting, problem=_error_text(exc), template=INVITEES_TEMPLATE)
        return _agenda_answer(request, meeting, notice=f"{attendee.person} invited.", template=INVITEES_TEMPLATE)
    return _agenda_answer(request, meeting, problem="Choose the person to invite.", template=INVITEES_TEMPLATE)


@login_required
@require_POST
def attendee_remove(request, pk: int):
    _require(request, VIEW, CHANGE)
    attendee = get_object_or_404(Attendee.objects.select_related("meeting", "person__user"), pk=pk)
    try:
        services.attendee_remove(actor=request.user, attendee=attendee)
    except ApplicationError as exc:
        return _agenda_answer(request, attendee.meeting, problem=exc.message, template=INVITEES_TEMPLATE)
    notice = f"{attendee.person} taken off the list."
    return _agenda_answer(request, attendee.meeting, notice=notice, template=INVITEES_TEMPLATE)


# Top management attendance ----------------------------------------------------------------------


class AttendanceView(PermissionRequiredMixin, TemplateView):
    """How many quality meetings each top manager attended, of those held, over 6 and 12 months."""

    permission_required = ATTENDANCE
    template_name = "reviews/meetings/attendance.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(data=selectors.top_management_attendance(), **kwargs)


def attendance_panel(request) -> dict:
    """Context of the home dashboard's attendance panel."""
    return selectors.top_management_attendance()
