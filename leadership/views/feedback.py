"""Views of the employee quality feedback box (5.1.1.h)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView

from leadership.filters.feedback import EmployeeFeedbackFilterSet
from leadership.forms.feedback import AnswerForm, EmployeeFeedbackForm, FollowUpForm
from leadership.models import Person
from leadership.models.feedback import EmployeeFeedback, feedback_answer_days
from leadership.selectors import feedback as selectors
from leadership.selectors.people import history_for
from leadership.services import feedback as services
from qms.concurrency import EditConflict
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors, edit_conflict_rows
from qms.views import HtmxFilterListView

ANSWER = "leadership.answer_employeefeedback"


class EmployeeFeedbackSubmitView(PermissionRequiredMixin, FormView):
    permission_required = "leadership.add_employeefeedback"
    form_class = EmployeeFeedbackForm
    template_name = "leadership/feedback/submit.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(answer_days=feedback_answer_days(), **kwargs)

    def form_valid(self, form):
        try:
            feedback, code = services.employee_feedback_submit(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        if code is None:
            messages.success(self.request, f"Thank you. Your feedback {feedback.reference} was sent.")
            return redirect("leadership:employee-feedback-mine")
        # The code is shown in this response and nowhere else: not in a redirect URL, the session
        # or a flash message, which would all keep it beside the signed-in user.
        response = render(
            self.request,
            "leadership/feedback/submitted_anonymously.html",
            {"feedback": feedback, "code": code, "answer_days": feedback_answer_days()},
        )
        response["Cache-Control"] = "no-store"
        return response


class MyFeedbackView(LoginRequiredMixin, ListView):
    """The signed-in person's named feedback with status and answer."""

    template_name = "leadership/feedback/mine.html"
    context_object_name = "items"
    paginate_by = 50

    def get_queryset(self):
        person = Person.objects.filter(user=self.request.user).only("pk").first()
        return selectors.employee_feedback_mine(person)

    def get_context_data(self, **kwargs):
        return super().get_context_data(answer_days=feedback_answer_days(), **kwargs)


@never_cache
@login_required
def employee_feedback_follow_up(request):
    """Anonymous reporters check status and answer with their code (sent by POST, kept out of URLs and logs)."""
    feedback = None
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        feedback = selectors.employee_feedback_by_code(form.cleaned_data["code"])
        if feedback is None:
            form.add_error("code", "No feedback matches this code. Check it and try again.")
    return render(request, "leadership/feedback/follow_up.html", {"form": form, "feedback": feedback})


class EmployeeFeedbackListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = "leadership.view_employeefeedback"
    filterset_class = EmployeeFeedbackFilterSet
    template_name = "leadership/feedback/list.html"
    partial_template_name = "leadership/feedback/partials/_table.html"

    def get_queryset(self):
        return selectors.employee_feedback_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(answer_days=feedback_answer_days(), **kwargs)


def _get(pk) -> EmployeeFeedback:
    try:
        return selectors.employee_feedback_get(pk)
    except EmployeeFeedback.DoesNotExist as exc:
        raise Http404("No such feedback.") from exc


def _may_see(user, feedback: EmployeeFeedback) -> bool:
    own = feedback.reporter is not None and feedback.reporter.user_id == user.pk
    return own or user.has_perm("leadership.view_employeefeedback")


class _AnonymousSubmission:
    """The creation entry of anonymous feedback, shown as by "Anonymous reporter" rather than "system".

    The stored entry has no user; this only names that absence on the page.
    """

    class _Nobody:
        def get_full_name(self) -> str:
            return "Anonymous reporter"

        def __str__(self) -> str:
            return self.get_full_name()

    def __init__(self, record):
        self._record = record
        self.history_user = self._Nobody()

    def __getattr__(self, name):
        return getattr(self._record, name)


def _detail(
    request,
    feedback: EmployeeFeedback,
    answer_form: AnswerForm | None = None,
    status: int = 200,
    edit_conflict: list | None = None,
):
    user = request.user
    may_answer = user.has_perm(ANSWER) and user.has_perm("leadership.view_employeefeedback")
    context = {
        "feedback": feedback,
        "answer_days": feedback_answer_days(),
        "may_answer": may_answer,
        # The version shown here goes back with the answer: an answer given meanwhile is shown, not overwritten.
        "answer_form": answer_form or AnswerForm(initial={"version": feedback.version}),
        "edit_conflict": edit_conflict,
    }
    if user.has_perm("leadership.view_historicalemployeefeedback"):
        context["history"] = history_for(feedback)
        if feedback.anonymous:
            for row in context["history"]:
                if row["record"].history_type == "+" and row["record"].history_user_id is None:
                    row["record"] = _AnonymousSubmission(row["record"])
    return render(request, "leadership/feedback/detail.html", context, status=status)


@login_required
def employee_feedback_detail(request, pk: int):
    feedback = _get(pk)
    if not _may_see(request.user, feedback):
        raise PermissionDenied
    return _detail(request, feedback)


def _action(request, pk: int, service, done: str):
    if not (request.user.has_perm(ANSWER) and request.user.has_perm("leadership.view_employeefeedback")):
        raise PermissionDenied
    feedback = get_object_or_404(EmployeeFeedback, pk=pk)
    try:
        service(actor=request.user, feedback=feedback)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{feedback.reference} {done}.")
    return redirect(feedback)


@login_required
@require_POST
def employee_feedback_acknowledge(request, pk: int):
    return _action(request, pk, services.employee_feedback_acknowledge, "acknowledged")


@login_required
@require_POST
def employee_feedback_close(request, pk: int):
    return _action(request, pk, services.employee_feedback_close, "closed")


@login_required
@require_POST
def employee_feedback_answer(request, pk: int):
    if not (request.user.has_perm(ANSWER) and request.user.has_perm("leadership.view_employeefeedback")):
        raise PermissionDenied
    feedback = get_object_or_404(EmployeeFeedback, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.employee_feedback_answer(
                actor=request.user,
                feedback=feedback,
                answer=form.cleaned_data["answer"],
                expected_version=form.pop_version(),
            )
        except EditConflict as exc:
            # Their answer is shown beside the one this manager typed, which stays in the form.
            conflict = edit_conflict_rows(exc, form)
            form.show_conflict(exc)
            return _detail(request, _get(pk), answer_form=form, status=409, edit_conflict=conflict)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(feedback)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{feedback.reference} answered.")
            return redirect(feedback)
    return _detail(request, _get(pk), answer_form=form)
