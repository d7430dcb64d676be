"""Pages of the clause catalogue: the items grouped by clause, one page per item with its evidence, tagging."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from evidence.forms.clauses import EvidenceFilterForm, EvidenceTagForm, EvidenceTagRemoveForm
from evidence.mapping import kind_for_content_type, kind_for_key, kinds_for_clause, kinds_visible_to
from evidence.models.clauses import Clause, EvidenceTag
from evidence.selectors import clauses as selectors
from evidence.services import clauses as services
from leadership.models import Department
from leadership.selectors.people import history_for
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors

VIEW = "evidence.view_clause"
TAG = "evidence.add_evidencetag"
UNTAG = "evidence.change_evidencetag"
PAGE_SIZE = selectors.DEFAULT_PAGE_SIZE


class _Counted:
    """A stand-in list of `total` items: Django's paginator only needs its length."""

    def __init__(self, total: int):
        self.total = total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        return []


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        return 1


class ClauseListView(PermissionRequiredMixin, TemplateView):
    """The catalogue, grouped by clause, with each item's evidence in the last twelve months."""

    permission_required = VIEW
    template_name = "evidence/clauses/list.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["evidence/clauses/partials/_catalogue.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        department = None
        department_id = self.request.GET.get("department", "")
        if department_id.isdigit():
            department = Department.objects.filter(pk=int(department_id)).first()
        start, end = selectors.last_twelve_months()
        groups = selectors.clause_catalogue(
            period_start=start, period_end=end, department=department, kinds=kinds_visible_to(self.request.user)
        )
        return super().get_context_data(
            groups=groups,
            period_start=start,
            period_end=end,
            department=department,
            departments=Department.objects.order_by("name"),
            total=sum(len(g.items) for g in groups),
            missing=sum(g.without_evidence for g in groups),
            **kwargs,
        )


def _detail_context(request, clause: Clause, *, tag_form: EvidenceTagForm | None = None, full: bool = True) -> dict:
    """The item page's context; `full` False gives only what the evidence table (the htmx partial) needs."""
    user = request.user
    visible = kinds_visible_to(user)
    filter_form = EvidenceFilterForm(request.GET if request.method == "GET" else None)
    page_obj, by_kind = None, []
    if filter_form.is_valid():
        number = _page_number(request)
        filters = {
            "period_start": filter_form.cleaned_data["period_start"],
            "period_end": filter_form.cleaned_data["period_end"],
            "department": filter_form.cleaned_data["department"],
            "kinds": visible,
            "limit": PAGE_SIZE,
        }
        page = selectors.evidence_for_clause(clause.pk, offset=(number - 1) * PAGE_SIZE, **filters)
        last = max(1, -(-page.total // PAGE_SIZE))
        if number > last:
            number = last
            page = selectors.evidence_for_clause(clause.pk, offset=(number - 1) * PAGE_SIZE, **filters)
        page_obj = Paginator(_Counted(page.total), PAGE_SIZE).get_page(number)
        page_obj.object_list = page.rows
        by_kind = page.by_kind
    params = request.GET.copy() if request.method == "GET" else {}
    if params:
        params.pop("page", None)
    mapped_kinds = kinds_for_clause(clause.pk)
    context = {
        "clause": clause,
        "filter_form": filter_form,
        "page_obj": page_obj,
        "rows": page_obj.object_list if page_obj else [],
        "by_kind": by_kind,
        "filter_query": params.urlencode() if params else "",
        "evidenced_by": [(kind, notes) for kind, notes in mapped_kinds if kind in visible],
        "hidden_kinds": [kind for kind, _notes in mapped_kinds if kind not in visible],
        "may_tag": user.has_perm(TAG),
        "may_untag": user.has_perm(UNTAG),
    }
    if full and context["may_tag"]:
        context["tag_form"] = tag_form or EvidenceTagForm(kinds=visible)
    if full and user.has_perm("evidence.view_evidencetag"):
        # Like the records themselves, tags on records the role may not open are not shown.
        removed = []
        for tag in selectors.removed_tags(clause.pk):
            kind = kind_for_content_type(tag.content_type)
            if kind in visible:
                tag.kind_label = kind.label
                removed.append(tag)
        context["removed_tags"] = removed
    if full and user.has_perm("evidence.view_historicalclause"):
        context["history"] = history_for(clause)
        context["history_title"] = "Changes of this requirement item in the catalogue"
    return context


class ClauseDetailView(PermissionRequiredMixin, TemplateView):
    """One requirement item: what it asks, what evidence an auditor expects, and every record that evidences it."""

    permission_required = VIEW
    template_name = "evidence/clauses/detail.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["evidence/clauses/partials/_evidence.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        clause = get_object_or_404(Clause, pk=self.kwargs["pk"])
        context = _detail_context(self.request, clause, full=not self.request.htmx)
        return super().get_context_data(**context, **kwargs)


class RecordSearchView(PermissionRequiredMixin, TemplateView):
    """The records of one kind that could be tagged to the item, as options of the tagging form (htmx)."""

    permission_required = (VIEW, TAG)
    template_name = "evidence/clauses/partials/_record_options.html"

    def get_context_data(self, **kwargs):
        clause = get_object_or_404(Clause, pk=self.kwargs["pk"])
        kind = kind_for_key(self.request.GET.get("kind", ""))
        if kind is not None and not self.request.user.has_perm(kind.view_permission):
            raise PermissionDenied(f"Your role cannot see {kind.plural}.")
        rows = selectors.record_search(kind, self.request.GET.get("q", ""), clause_id=clause.pk) if kind else []
        return super().get_context_data(kind=kind, rows=rows, **kwargs)


class ClauseTagView(PermissionRequiredMixin, View):
    """Tag a record as evidence of the item (POST only); errors are shown on the clause page's form."""

    permission_required = (VIEW, TAG)
    http_method_names = ["post"]

    def post(self, request, pk):
        clause = get_object_or_404(Clause, pk=pk)
        form = EvidenceTagForm(request.POST, kinds=kinds_visible_to(request.user))
        if form.is_valid():
            try:
                record = services.evidence_record_get(
                    kind_key=form.cleaned_data["kind"], object_id=form.cleaned_data["object_id"]
                )
                services.evidence_tag_create(
                    actor=request.user, clause=clause, record=record, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Tagged as evidence of {clause.pk}.")
                return redirect(clause)
        context = _detail_context(request, clause, tag_form=form)
        return render(request, "evidence/clauses/detail.html", context)


class EvidenceTagRemoveView(PermissionRequiredMixin, View):
    """Take a tag out of force with a reason (POST only); the tag stays in the trail."""

    permission_required = (VIEW, UNTAG)
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            tag = EvidenceTag.objects.select_related("clause").get(pk=pk)
        except EvidenceTag.DoesNotExist as exc:
            raise Http404("No such evidence tag.") from exc
        form = EvidenceTagRemoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The tag was not removed: say why the record no longer evidences the requirement.")
            return redirect(tag.clause)
        try:
            services.evidence_tag_remove(actor=request.user, tag=tag, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, f"The tag was not removed: {' '.join(exc.messages)}")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Tag removed from {tag.clause_id}; it stays in the trail below.")
        return redirect(tag.clause)
