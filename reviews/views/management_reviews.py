"""Pages of management reviews (9.3): the list, preparing one, and the review page where it is held and signed.

The review page shows each 9.3.2 input as it was compiled (and, once held, frozen), with its
manual entries and note edited in place with htmx, the conclusions, the 9.3.3 outputs with
their actions, the checklist of what signing still needs, and the signature.
"""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from leadership.selectors.people import history_for
from objectives import charts
from objectives.models import Objective
from qms.exceptions import ApplicationError
from qms.forms import SignForm, add_service_errors
from qms.views import HtmxFilterListView, ServiceFormView
from reviews.filters.management_reviews import ManagementReviewFilterSet
from reviews.forms.management_reviews import (
    ConclusionsForm,
    ManagementReviewPrepareForm,
    NoteForm,
    OutputForm,
    OutputOwnerForm,
    active_people,
)
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import Decision, Meeting
from reviews.selectors import management_reviews as selectors
from reviews.services import management_reviews as services

VIEW = "reviews.view_managementreview"
ADD = "reviews.add_managementreview"
CHANGE = "reviews.change_managementreview"
SIGN = "reviews.sign_managementreview"

HEALTH_BADGES = {
    Objective.Health.ON_TRACK: "text-bg-success",
    Objective.Health.AT_RISK: "text-bg-warning",
    Objective.Health.OFF_TRACK: "text-bg-danger",
    Objective.Health.NO_DATA: "text-bg-secondary",
}


def _require(request, *permissions: str) -> None:
    if not request.user.has_perms(permissions):
        raise PermissionDenied


def _get(pk) -> ManagementReview:
    try:
        return selectors.management_review_get(pk)
    except ManagementReview.DoesNotExist as exc:
        raise Http404("No such management review.") from exc


def _get_input(pk) -> ReviewInput:
    review_input = ReviewInput.objects.select_related("review__meeting").filter(pk=pk).first()
    if review_input is None:
        raise Http404("No such management review input.")
    return review_input


def _anchor(review_input: ReviewInput) -> str:
    return review_input.review.get_absolute_url() + f"#input-{review_input.item}"


# The list and preparing a review ----------------------------------------------------------------------


class ManagementReviewListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = VIEW
    filterset_class = ManagementReviewFilterSet
    template_name = "reviews/management_reviews/list.html"
    partial_template_name = "reviews/management_reviews/partials/_table.html"

    def get_queryset(self):
        return selectors.management_review_list()


class ManagementReviewPrepareView(ServiceFormView):
    """Plan a review's meeting with the standard agenda and compile its inputs."""

    form_class = ManagementReviewPrepareForm
    add_permission = ADD
    change_permission = CHANGE
    verbose_name = "management review"

    def get_object(self):
        raise Http404

    def create(self, data):
        return services.management_review_prepare(actor=self.request.user, **data)

    def cancel_url(self):
        return reverse("reviews:management-review-list")


# The review page ----------------------------------------------------------------------------------------


def _entry_rows(review_input: ReviewInput, rows: list[dict] | None) -> list[list[tuple]]:
    """Each entry as (field, value) pairs in the fields' order, for the editor and the read-only table."""
    fields = services.ENTRY_FIELDS.get(review_input.item, ())
    source = review_input.entries if rows is None else rows
    return [[(field, row.get(field.name)) for field in fields] for row in source]


def _section(review_input: ReviewInput, *, may_edit: bool, editing: dict | None = None) -> dict:
    """What the page shows of one input: its compiled data, entries (or the rows being edited), note."""
    item = ReviewInput.Item(review_input.item)
    editing = editing or {}
    data = review_input.data or {}
    section = {
        "input": review_input,
        "item": item,
        "short": selectors.SHORT_LABELS[item],
        "template": f"reviews/management_reviews/partials/_data_{selectors.SECTION_TEMPLATES[item]}.html",
        "data": data,
        "manual": item in ReviewInput.MANUAL_ITEMS,
        "has_content": selectors.input_has_content(review_input),
        "may_edit": may_edit,
        "fields": services.ENTRY_FIELDS.get(item, ()),
        "rows": _entry_rows(review_input, editing.get("rows")),
        "entry_errors": editing.get("errors", []),
        "note_form": editing.get("note_form") or NoteForm(initial={"note": review_input.note}),
    }
    if item == ReviewInput.Item.OBJECTIVES:
        # A tiny trend per objective, drawn from the frozen values, never from today's.
        section["objective_rows"] = [
            {
                **row,
                "badge": HEALTH_BADGES.get(row["health"], "text-bg-secondary"),
                "sparkline": charts.sparkline_svg(
                    [p["value"] for p in row["trend"]], title=f"Last values of {row['reference']}", width=90, height=22
                )
                if len(row["trend"]) > 1
                else "",
            }
            for row in data.get("objectives", [])
        ]
    return section


def _context(request, review: ManagementReview, *, editing: dict | None = None, **forms) -> dict:
    user = request.user
    signed = review.status == ManagementReview.Status.SIGNED
    may_change = user.has_perm(CHANGE) and not signed
    inputs = list(review.inputs.all())
    outputs = selectors.management_review_outputs(review)
    readiness = selectors.management_review_readiness(review, inputs=inputs, outputs=outputs)
    held = review.status == ManagementReview.Status.HELD
    is_chair = review.meeting.chair.user_id == user.pk
    editing = editing or {}
    may_add_output = may_change and held and review.meeting.status == Meeting.Status.HELD
    context = {
        "review": review,
        "meeting": review.meeting,
        "sections": [_section(i, may_edit=may_change, editing=editing.get(i.pk)) for i in inputs],
        "readiness": readiness,
        "output_groups": selectors.outputs_by_category(outputs),
        "outputs": outputs,
        "may_change": may_change,
        "may_compile": may_change and review.status == ManagementReview.Status.PREPARING,
        "may_add_output": may_add_output,
        "may_sign": held and is_chair and user.has_perm(SIGN),
        "is_chair": is_chair,
        "signature": review.signature,
        "intact": selectors.management_review_signature_intact(review) if signed else None,
        "conclusions_form": forms.get("conclusions_form") or ConclusionsForm(instance=review),
        "output_form": forms.get("output_form") or OutputForm(),
        # Loaded once for every output without an owner, not once per output.
        "owner_choices": list(active_people()) if may_add_output and any(o.owner_id is None for o in outputs) else [],
        "sign_form": forms.get("sign_form") or SignForm(),
        "requirement_ids": ManagementReview.REQUIREMENT_IDS,
    }
    if user.has_perm("reviews.view_historicalmanagementreview"):
        context["history"] = history_for(review)
    return context


def _render_detail(request, review: ManagementReview, **kwargs):
    return render(request, "reviews/management_reviews/detail.html", _context(request, review, **kwargs))


@login_required
def management_review_detail(request, pk: int):
    _require(request, VIEW)
    return _render_detail(request, _get(pk))


def _transition(request, pk: int, service, done: str):
    _require(request, VIEW, CHANGE)
    review = _get(pk)
    try:
        service(actor=request.user, review=review)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(review)


@login_required
@require_POST
def management_review_compile(request, pk: int):
    """Gather the inputs again from the rest of Clause5 (only while the review is being prepared)."""
    return _transition(request, pk, services.management_review_compile, "Inputs compiled again from Clause5.")


@login_required
@require_POST
def management_review_freeze(request, pk: int):
    """Compile one last time and freeze the inputs: what the review sees from now on never changes."""
    return _transition(
        request, pk, services.management_review_freeze, "Inputs frozen: the review is held on these figures."
    )


@login_required
@require_POST
def management_review_conclude(request, pk: int):
    _require(request, VIEW, CHANGE)
    review = _get(pk)
    form = ConclusionsForm(request.POST, instance=review)
    if form.is_valid():
        try:
            services.management_review_conclude(actor=request.user, review=review, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(review)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Conclusions saved.")
            return redirect(review.get_absolute_url() + "#conclusions")
    return _render_detail(request, _get(pk), conclusions_form=form)


@login_required
@require_POST
def management_review_output_add(request, pk: int):
    _require(request, VIEW, CHANGE)
    review = _get(pk)
    form = OutputForm(request.POST)
    if form.is_valid():
        try:
            decision = services.management_review_output_add(actor=request.user, review=review, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(review)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Output {decision.label} recorded.")
            return redirect(review.get_absolute_url() + "#outputs")
    return _render_detail(request, _get(pk), output_form=form)


@login_required
@require_POST
def management_review_output_assign(request, pk: int):
    _require(request, VIEW, CHANGE)
    review = _get(pk)
    form = OutputOwnerForm(request.POST)
    decision = None
    if form.is_valid():
        decision = Decision.objects.filter(pk=form.cleaned_data["decision"], meeting_id=review.meeting_id).first()
    if decision is None:
        messages.error(request, "Choose the output and its owner.")
        return redirect(review.get_absolute_url() + "#outputs")
    try:
        services.management_review_output_assign(
            actor=request.user, review=review, decision=decision, owner=form.cleaned_data["owner"]
        )
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, ApplicationError) else " ".join(exc.messages))
    else:
        messages.success(request, f"{decision.label} is now {form.cleaned_data['owner']}'s.")
    return redirect(review.get_absolute_url() + "#outputs")


@login_required
@require_POST
def management_review_sign(request, pk: int):
    """The chair signs the held review (and with it the minutes) after typing their password again."""
    _require(request, VIEW, SIGN)
    review = _get(pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.management_review_sign(
                actor=request.user,
                review=review,
                password=form.cleaned_data["password"],
                otp_code=form.cleaned_data["otp_code"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(review.get_absolute_url() + "#signature")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Management review {review.meeting.reference} signed; its minutes too.")
            return redirect(review)
    return _render_detail(request, _get(pk), sign_form=form)


# Sections edited in place ------------------------------------------------------------------------------


def _partial(request, template: str, review_input: ReviewInput, section: dict):
    """An edited section's part, with the checklist swapped out of band so it stays current."""
    review = _get(review_input.review_id)
    readiness = selectors.management_review_readiness(review)
    return render(
        request,
        template,
        {"section": section, "review": review, "readiness": readiness, "oob": True},
    )


@login_required
@require_POST
def review_input_note(request, pk: int):
    """Save a section's note; htmx gets the note part back, a plain form post the page."""
    _require(request, VIEW, CHANGE)
    review_input = _get_input(pk)
    form = NoteForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            review_input = services.review_input_annotate(
                actor=request.user, review_input=review_input, note=form.cleaned_data["note"]
            )
            saved = True
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if not request.htmx:
        if saved:
            messages.success(request, "Note saved.")
            return redirect(_anchor(review_input))
        return _render_detail(request, _get(review_input.review_id), editing={review_input.pk: {"note_form": form}})
    section = _section(review_input, may_edit=True, editing={"note_form": None if saved else form})
    section["saved"] = saved
    return _partial(request, "reviews/management_reviews/partials/_note.html", review_input, section)


def _posted_rows(post, fields) -> list[dict]:
    """The rows of the entries editor as typed: each field is posted once per row, in order."""
    columns = {field.name: post.getlist(field.name) for field in fields}
    count = max((len(values) for values in columns.values()), default=0)
    return [{name: (values[i] if i < len(values) else "") for name, values in columns.items()} for i in range(count)]


@login_required
@require_POST
def review_input_entries(request, pk: int):
    """The manual entries editor of b, c.3 and c.7: add a row, remove one, or save them all."""
    _require(request, VIEW, CHANGE)
    review_input = _get_input(pk)
    fields = services.ENTRY_FIELDS.get(review_input.item)
    if fields is None:
        raise Http404("This section is compiled by Clause5 and takes no entries.")
    rows = _posted_rows(request.POST, fields)
    errors, saved = [], False
    if "add" in request.POST:
        rows.append({field.name: "" for field in fields})
    elif "remove" in request.POST:
        # A stale page may name a row that is gone: nothing to remove then.
        with contextlib.suppress(ValueError, IndexError):
            rows.pop(int(request.POST["remove"]))
    else:
        try:
            review_input = services.review_input_set_entries(
                actor=request.user, review_input=review_input, entries=rows
            )
            rows, saved = review_input.entries, True
        except ApplicationError as exc:
            errors = [exc.message]
        except ValidationError as exc:
            errors = exc.messages
    if not request.htmx:
        if saved:
            messages.success(request, "Entries saved.")
            return redirect(_anchor(review_input))
        return _render_detail(
            request, _get(review_input.review_id), editing={review_input.pk: {"rows": rows, "errors": errors}}
        )
    section = _section(review_input, may_edit=True, editing={"rows": rows, "errors": errors})
    section["saved"] = saved
    section["dirty"] = not saved
    return _partial(request, "reviews/management_reviews/partials/_entries.html", review_input, section)
