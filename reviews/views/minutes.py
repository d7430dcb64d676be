"""Pages of minutes: the meeting's record, the live recording page, signing, amendments, decisions.

The recording page is one page: every inline form posts with htmx and gets back the partial it
replaces (or a 400 with the form and the typed text, or a 409 with the rule that refused), so the
page never reloads. Without JavaScript the same forms post normally and come back to the page.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from qms.concurrency import EditConflict
from qms.etags import etag_for
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors
from reviews.forms import minutes as forms
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MeetingType
from reviews.selectors import minutes as selectors
from reviews.services import minutes as services

VIEW = "reviews.view_meeting"
RECORD = "reviews.record_meeting"
SIGN = "reviews.sign_meeting"
VIEW_DECISION = "reviews.view_decision"
SESSION_ENDED = "Not saved: your session has ended. Sign in again in another tab; your text is kept here."


class MinutesPermissionMixin(PermissionRequiredMixin):
    """Permission checks that answer an htmx request whose session ended with 401 instead of a login page."""

    def handle_no_permission(self):
        if getattr(self.request, "htmx", False) and not self.request.user.is_authenticated:
            return HttpResponse(SESSION_ENDED, status=401)
        return super().handle_no_permission()


def _meeting(pk) -> Meeting:
    try:
        return selectors.meeting_get(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404("No such meeting.") from exc


def _is_review(meeting: Meeting) -> bool:
    return meeting.type.category == MeetingType.Category.MANAGEMENT_REVIEW


def _record_url(meeting_id: int, anchor: str = "") -> str:
    return reverse("reviews:meeting-record", args=[meeting_id]) + (f"#{anchor}" if anchor else "")


def _form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# The meeting's record ------------------------------------------------------------------------


class MeetingDetailView(MinutesPermissionMixin, TemplateView):
    """Everything about one meeting: who came, the agenda and minutes, decisions, actions, signature, history."""

    permission_required = VIEW
    template_name = "reviews/minutes/detail.html"

    def get_context_data(self, **kwargs):
        meeting = _meeting(self.kwargs["pk"])
        user = self.request.user
        context = {
            "meeting": meeting,
            "outline": selectors.minutes_outline(meeting),
            "intact": selectors.meeting_signature_intact(meeting),
            "withdrawn": selectors.decisions_withdrawn(meeting),
            "is_review": _is_review(meeting),
            "is_chair": meeting.chair.user_id == user.pk,
            "may_amend": meeting.is_signed and services.may_amend(user, meeting),
            "requirement_ids": Meeting.REQUIREMENT_IDS,
        }
        if user.has_perm("reviews.view_historicalmeeting"):
            context["history"] = selectors.meeting_history(meeting)
        return super().get_context_data(**context, **kwargs)


# The live recording page ---------------------------------------------------------------------


def _record_context(request, meeting: Meeting, **extra) -> dict:
    """What the recording page and its partials need: the minutes, one shared list of people, the forms."""
    return {
        "meeting": meeting,
        "outline": selectors.minutes_outline(meeting),
        "people": list(forms.active_people()),
        "is_review": _is_review(meeting),
        "is_chair": meeting.chair.user_id == request.user.pk,
        "categories": forms.Decision.OutputCategory.choices,
        "priorities": forms.Action.Priority.choices,
        "marks": forms.MARK_CHOICES,
        "today": timezone.localdate(),
        **extra,
    }


class MeetingRecordView(MinutesPermissionMixin, TemplateView):
    """The minute-taker's page: start, attendance, minutes per item, decisions and actions, live."""

    permission_required = (VIEW, RECORD)
    template_name = "reviews/minutes/record.html"

    def get(self, request, *args, **kwargs):
        meeting = _meeting(kwargs["pk"])
        if meeting.status in (Meeting.Status.SIGNED, Meeting.Status.CANCELLED):
            messages.info(request, f"{meeting.reference} is {meeting.get_status_display().lower()}: nothing to record.")
            return redirect(meeting)
        return self.render_to_response(_record_context(request, meeting))


class _RecordPost(MinutesPermissionMixin, View):
    """A POST of the recording page; subclasses call one service and answer with a partial."""

    permission_required = (VIEW, RECORD)
    http_method_names = ["post"]

    def partial(self, template: str, context: dict, status: int = 200, anchor: str = ""):
        request = self.request
        if request.htmx:
            return render(request, template, context, status=status)
        # Without htmx the browser posted the form normally: back to the page, with what happened.
        if context.get("error"):
            messages.error(request, context["error"])
        form = next((v for k, v in context.items() if k.endswith("form") and hasattr(v, "errors")), None)
        if form is not None and form.errors:
            messages.error(request, _form_errors(form))
        return redirect(_record_url(context["meeting"].pk, anchor))

    def run(self, form, service, **kwargs):
        """Call `service` with the valid form's data: (result, error, status).

        A rule that refuses is a 409 with its message; bad input is a 400 with the service's
        errors on the form's fields, the typed text kept.
        """
        if not form.is_valid():
            return None, "", 400
        try:
            return service(actor=self.request.user, **kwargs, **form.cleaned_data), "", 200
        except ApplicationError as exc:
            return None, exc.message, 409
        except ValidationError as exc:
            add_service_errors(form, exc)
            return None, "", 400


class MeetingStartView(_RecordPost):
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        try:
            services.meeting_start(actor=request.user, meeting=meeting)
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
            return redirect(meeting)
        messages.success(
            request, f"{meeting.reference} started at {timezone.localtime():%H:%M}. Minutes are saved as you type."
        )
        return redirect(_record_url(meeting.pk))


class AttendeeMarkView(_RecordPost):
    def post(self, request, pk):
        attendee = get_object_or_404(Attendee.objects.select_related("person__user", "meeting"), pk=pk)
        form = forms.AttendeeMarkForm(request.POST)
        context = {"meeting": attendee.meeting, "attendee": attendee, "marks": forms.MARK_CHOICES}
        status = 200
        if not form.is_valid():
            context["error"], status = _form_errors(form), 400
        else:
            try:
                context["attendee"] = services.attendee_mark(
                    actor=request.user, attendee=attendee, status=form.cleaned_data["status"]
                )
            except ApplicationError as exc:
                context["error"], status = exc.message, 409
            except ValidationError as exc:
                context["error"], status = " ".join(exc.messages), 400
        return self.partial("reviews/minutes/partials/_attendee_row.html", context, status, "attendance")


class AttendeeAddView(_RecordPost):
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        form = forms.AttendeeAddForm(request.POST)
        _attendee, error, status = self.run(form, services.attendee_add, meeting=meeting)
        if status == 200:
            form = forms.AttendeeAddForm()
        context = _record_context(request, _meeting(pk), add_attendee_form=form, error=error)
        return self.partial("reviews/minutes/partials/_attendance.html", context, status, "attendance")


class _AutosaveView(_RecordPost):
    """An autosave of a textarea: answers with "Saved 10:42", or the reason it was not saved."""

    template = "reviews/minutes/partials/_saved.html"

    def saved(self, meeting, error: str = "", status: int = 200):
        context = {"meeting": meeting, "error": error, "saved_at": timezone.localtime()}
        return self.partial(self.template, context, status)


class AgendaItemMinutesView(_AutosaveView):
    """Autosave of one item's minutes; the answer's ETag is the item's version the page sends next.

    If another recorder saved different minutes since the version the page sent, the answer is
    409 with their text and the choice of keeping one's own, taking theirs or combining both; the
    page keeps its own text (and its draft) until the recorder chooses.
    """

    def post(self, request, pk):
        item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
        form = forms.MinutesForm(request.POST)
        if not form.is_valid():
            return self.saved(item.meeting, _form_errors(form), 400)
        try:
            item = services.agenda_item_minutes_save(
                actor=request.user,
                item=item,
                minutes=form.cleaned_data["minutes"],
                expected_version=form.pop_version(),
            )
        except EditConflict as exc:
            return self.conflict(exc)
        except ApplicationError as exc:
            return self.saved(item.meeting, exc.message, 409)
        except ValidationError as exc:
            return self.saved(item.meeting, " ".join(exc.messages), 400)
        response = self.saved(item.meeting)
        response["ETag"] = etag_for(item.version)
        return response

    def conflict(self, exc: EditConflict):
        theirs = exc.record
        context = {
            "meeting": theirs.meeting,
            "item": theirs,
            "who": " and ".join(exc.changed_by) or "Another recorder",
            "changed_at": exc.changed_at,
            "error": exc.message,
        }
        return self.partial("reviews/minutes/partials/_minutes_conflict.html", context, 409, f"item-{theirs.pk}")


class MeetingNotesView(_AutosaveView):
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        form = forms.NotesForm(request.POST)
        form.is_valid()
        try:
            services.meeting_notes_save(
                actor=request.user, meeting=meeting, general_notes=form.cleaned_data["general_notes"]
            )
        except ApplicationError as exc:
            return self.saved(meeting, exc.message, 409)
        except ValidationError as exc:
            return self.saved(meeting, " ".join(exc.messages), 400)
        return self.saved(meeting)


class AgendaItemAddView(_RecordPost):
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        form = forms.AgendaItemAddForm(request.POST)
        item, error, status = self.run(form, services.agenda_item_add, meeting=meeting)
        if item is not None:
            form = forms.AgendaItemAddForm()
        meeting = _meeting(pk)
        context = _record_context(request, meeting, item_add_form=form, error=error)
        if item is not None:
            context["new_entry"] = next(e for e in context["outline"]["items"] if e["item"].pk == item.pk)
        anchor = f"item-{item.pk}" if item else "item-add"
        return self.partial("reviews/minutes/partials/_item_add.html", context, status, anchor)


def _entry(context: dict, item_id: int | None) -> dict:
    """The outline entry of one agenda item, or of the general section when `item_id` is None."""
    if item_id is None:
        return context["outline"]["general"]
    return next(e for e in context["outline"]["items"] if e["item"].pk == item_id)


def _find_decision(context: dict, decision_id: int):
    for entry in [context["outline"]["general"], *context["outline"]["items"]]:
        for decision in entry["decisions"]:
            if decision.pk == decision_id:
                return decision
    return None


class DecisionAddView(_RecordPost):
    """Add a decision under an agenda item (or to the general section)."""

    def post(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.select_related("type"), pk=pk)
        form = forms.DecisionForm(request.POST, meeting=meeting)
        decision, error, status = self.run(form, services.decision_add, meeting=meeting)
        item = form.cleaned_data.get("agenda_item") if hasattr(form, "cleaned_data") else None
        item_id = item.pk if item else None
        context = _record_context(request, _meeting(pk), error=error)
        context["entry"] = _entry(context, item_id)
        if decision is not None:
            context["new_decision"] = _find_decision(context, decision.pk)
        else:
            context["decision_form"] = form
        anchor = f"decision-{decision.pk}" if decision else f"item-{item_id}" if item_id else "general"
        return self.partial("reviews/minutes/partials/_decision_add.html", context, status, anchor)


class _DecisionPost(_RecordPost):
    def decision(self, pk) -> Decision:
        return get_object_or_404(Decision.objects.select_related("meeting__type"), pk=pk)

    def block(self, decision_id: int, meeting_id: int, status: int = 200, **extra):
        context = _record_context(self.request, _meeting(meeting_id), **extra)
        context["decision"] = _find_decision(context, decision_id)
        return self.partial("reviews/minutes/partials/_decision.html", context, status, f"decision-{decision_id}")


class DecisionUpdateView(_DecisionPost):
    def post(self, request, pk):
        decision = self.decision(pk)
        form = forms.DecisionForm(request.POST, meeting=decision.meeting)
        if form.is_valid():
            try:
                services.decision_update(actor=request.user, decision=decision, **form.cleaned_data)
            except ApplicationError as exc:
                return self.block(decision.pk, decision.meeting_id, 409, error=exc.message)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return self.block(decision.pk, decision.meeting_id)
        return self.block(decision.pk, decision.meeting_id, 400, edit_form=form)


class DecisionRemoveView(_DecisionPost):
    def post(self, request, pk):
        decision = self.decision(pk)
        try:
            services.decision_remove(actor=request.user, decision=decision)
        except ApplicationError as exc:
            return self.block(decision.pk, decision.meeting_id, 409, error=exc.message)
        if request.htmx:
            # The decision's block is swapped for nothing: it disappears from the page.
            return HttpResponse("")
        messages.success(request, f"{decision.label} removed.")
        return redirect(_record_url(decision.meeting_id))


class DecisionActionAddView(_DecisionPost):
    """Raise an action on a decision; from the recording page (htmx) or the decision's page."""

    def post(self, request, pk):
        decision = self.decision(pk)
        form = forms.DecisionActionForm(request.POST)
        action, error, status = self.run(form, services.decision_action_add, decision=decision)
        if request.POST.get("next") == "decision":
            # Posted from the decision's own page.
            if action is not None:
                messages.success(request, f"{action.reference} raised and its owner told.")
                return redirect(decision)
            if error:
                messages.error(request, error)
                return redirect(decision)
            return _decision_page(request, pk, action_form=form)
        context = _record_context(request, _meeting(decision.meeting_id), error=error)
        context["decision"] = _find_decision(context, decision.pk)
        if action is not None:
            context["new_action"] = next(a for a in context["decision"].actions.all() if a.pk == action.pk)
        else:
            context["action_form"] = form
        return self.partial("reviews/minutes/partials/_action_add.html", context, status, f"decision-{decision.pk}")


# Signing ------------------------------------------------------------------------------------


class MeetingSignView(MinutesPermissionMixin, TemplateView):
    """The minutes read-only, what is missing, and the chair's password re-entry to sign them."""

    permission_required = (VIEW, SIGN)
    template_name = "reviews/minutes/sign.html"
    form = None

    def get_context_data(self, **kwargs):
        meeting = _meeting(self.kwargs["pk"])
        user = self.request.user
        is_chair = meeting.chair.user_id == user.pk
        context = {
            "meeting": meeting,
            "outline": selectors.minutes_outline(meeting),
            "problems": selectors.meeting_sign_problems(meeting) if meeting.status == Meeting.Status.HELD else [],
            "is_chair": is_chair,
            "is_review": _is_review(meeting),
            "sign_form": self.form or forms.MinutesSignForm(),
            "sign_statement": services.SIGN_STATEMENT + ".",
        }
        return super().get_context_data(**context, **kwargs)

    def post(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        form = forms.MinutesSignForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_sign(
                    actor=request.user,
                    meeting=meeting,
                    password=form.cleaned_data["password"],
                    otp_code=form.cleaned_data["otp_code"],
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect(reverse("reviews:meeting-sign", args=[pk]))
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                return redirect(reverse("reviews:meeting-sign", args=[pk]))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"The minutes of {meeting.reference} are signed.")
                return redirect(meeting)
        self.form = form
        return self.render_to_response(self.get_context_data(), status=400)


# Amendments ---------------------------------------------------------------------------------


class MeetingAmendView(MinutesPermissionMixin, TemplateView):
    """A correction of signed minutes, signed by its author: the chair, or someone who signs minutes."""

    permission_required = VIEW
    template_name = "reviews/minutes/amend.html"
    form = None

    @cached_property
    def meeting(self) -> Meeting:
        return _meeting(self.kwargs["pk"])

    def has_permission(self):
        return super().has_permission() and services.may_amend(self.request.user, self.meeting)

    def get(self, request, *args, **kwargs):
        if not self.meeting.is_signed:
            messages.error(request, "Only signed minutes are amended; until they are signed, edit them directly.")
            return redirect(self.meeting)
        return super().get(request, *args, **kwargs)

    def make_form(self, data=None):
        meeting = self.meeting
        return forms.AmendmentForm(
            data,
            meeting=meeting,
            items=sorted(meeting.agenda_items.all(), key=lambda i: (i.order, i.pk)),
            decisions=meeting.decisions.all(),
            initial={"target": self.request.GET.get("target", "notes")},
        )

    def get_context_data(self, **kwargs):
        outline = selectors.minutes_outline(self.meeting)
        form = self.form or self.make_form()
        if self.form is None:
            # Start from the text as it reads now, so the author corrects rather than retypes.
            target = form.initial.get("target", "notes")
            texts = {"notes": outline["general"]["text"]}
            texts.update({f"item-{e['item'].pk}": e["text"] for e in outline["items"]})
            for entry in [outline["general"], *outline["items"]]:
                texts.update({f"decision-{d.pk}": d.current_text for d in entry["decisions"]})
            form.initial["amended_text"] = texts.get(target, "")
        return super().get_context_data(meeting=self.meeting, outline=outline, form=form, **kwargs)

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                amendment = services.minutes_amend(
                    actor=request.user,
                    meeting=self.meeting,
                    password=form.cleaned_data["password"],
                    otp_code=form.cleaned_data["otp_code"],
                    reason=form.cleaned_data["reason"],
                    amended_text=form.cleaned_data["amended_text"],
                    **form.target_records(),
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect(self.meeting)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The amendment is signed and shown beside the original text.")
                return redirect(amendment)
        self.form = form
        return self.render_to_response(self.get_context_data(), status=400)


# Decisions ----------------------------------------------------------------------------------


class DecisionDetailView(MinutesPermissionMixin, TemplateView):
    """A decision with its meeting, owner, category and actions; a review output's follow-up forms."""

    permission_required = VIEW_DECISION
    template_name = "reviews/minutes/decision_detail.html"
    action_form = None
    resource_form = None
    revision_form = None

    def get(self, request, *args, status=200, **kwargs):
        return self.render_to_response(self.get_context_data(**kwargs), status=status)

    def get_context_data(self, **kwargs):
        try:
            decision = selectors.decision_get(self.kwargs["pk"])
        except Decision.DoesNotExist as exc:
            raise Http404("No such decision.") from exc
        user = self.request.user
        meeting = decision.meeting
        is_review = _is_review(meeting)
        followed_up = is_review and meeting.status in (Meeting.Status.HELD, Meeting.Status.SIGNED)
        context = {
            "decision": decision,
            "meeting": meeting,
            "is_review": is_review,
            "amendments": list(decision.amendments.all()),
            "may_add_action": meeting.status == Meeting.Status.HELD and user.has_perm(RECORD),
            "may_request": followed_up and user.has_perm("leadership.add_resourcerequest"),
            "may_revise": followed_up and user.has_perm("objectives.add_targetrevision"),
        }
        context["current_text"] = context["amendments"][-1].amended_text if context["amendments"] else decision.text
        if context["may_add_action"]:
            context["action_form"] = self.action_form or forms.DecisionActionForm()
        if context["may_request"]:
            context["resource_form"] = self.resource_form or forms.DecisionResourceRequestForm(decision=decision)
        if context["may_revise"]:
            context["revision_form"] = self.revision_form or forms.DecisionTargetRevisionForm(decision=decision)
        return super().get_context_data(**context, **kwargs)


def _decision_page(request, pk: int, **forms_with_errors):
    """The decision's page again, after a POST, with the form that failed and its typed input (400)."""
    view = DecisionDetailView(**forms_with_errors)
    view.setup(request, pk=pk)
    return view.get(request, pk=pk, status=400)


class DecisionResourceRequestView(MinutesPermissionMixin, View):
    """Create the resource request a management review output calls for, linked to it."""

    permission_required = (VIEW_DECISION, "leadership.add_resourcerequest")
    http_method_names = ["post"]

    def post(self, request, pk):
        decision = get_object_or_404(Decision.objects.select_related("meeting__type"), pk=pk)
        form = forms.DecisionResourceRequestForm(request.POST, decision=decision)
        if form.is_valid():
            try:
                resource_request = services.decision_resource_request_create(
                    actor=request.user, decision=decision, **form.cleaned_data
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect(decision)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{resource_request.reference} requested and linked to {decision.label}.")
                return redirect(decision)
        return _decision_page(request, pk, resource_form=form)


class DecisionTargetRevisionView(MinutesPermissionMixin, View):
    """Propose the target revision a management review output decided, linked to it."""

    permission_required = (VIEW_DECISION, "objectives.add_targetrevision")
    http_method_names = ["post"]

    def post(self, request, pk):
        decision = get_object_or_404(Decision.objects.select_related("meeting__type"), pk=pk)
        form = forms.DecisionTargetRevisionForm(request.POST, decision=decision)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                revision = services.decision_target_revision_propose(actor=request.user, decision=decision, **data)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect(decision)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                return redirect(decision)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Target revision of {revision.objective.reference} proposed for approval.")
                return redirect(decision)
        return _decision_page(request, pk, revision_form=form)
