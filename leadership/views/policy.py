"""Pages of the quality policy (5.2): versions and their lifecycle, staff acknowledgement, sharing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from leadership.filters.policy import PolicyVersionFilterSet
from leadership.forms.policy import CompareForm, PolicyVersionForm, RejectForm, ShareLinkForm
from leadership.models import Person
from leadership.models.policy import PolicyShareLink, PolicyVersion
from leadership.selectors import policy as selectors
from leadership.selectors.people import history_for
from leadership.services import policy as services
from qms.exceptions import ApplicationError
from qms.forms import SignForm, add_service_errors
from qms.signatures import signature_matches
from qms.views import HtmxFilterListView, ServiceFormView

Status = PolicyVersion.Status
DETAIL_TEMPLATE = "leadership/policy/version_detail.html"


def pdf_response(version: PolicyVersion, *, as_attachment: bool) -> FileResponse:
    """Stream a version's stored PDF; callers have checked who may read it."""
    if not version.pdf:
        raise Http404("The PDF of this version is not ready yet.")
    filename = f"{slugify(settings.ORGANISATION_NAME)}-quality-policy-v{version.number}.pdf"
    response = FileResponse(
        version.pdf.open("rb"), as_attachment=as_attachment, filename=filename, content_type="application/pdf"
    )
    if version.pdf_sha256:
        # Lets a recipient check the copy against the hash Clause5 keeps.
        response["X-Content-SHA256"] = version.pdf_sha256
    return response


# Versions -------------------------------------------------------------------------------------


class PolicyVersionListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = "leadership.view_policyversion"
    filterset_class = PolicyVersionFilterSet
    template_name = "leadership/policy/version_list.html"
    partial_template_name = "leadership/policy/partials/_version_table.html"

    def get_queryset(self):
        return selectors.policy_version_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = next((v for v in context["object_list"] if v.status == Status.PUBLISHED), None)
        if published is None:
            published = selectors.policy_version_published()
        context["published"] = published
        context["coverage"] = selectors.policy_coverage_figures(published)
        if not getattr(self.request, "htmx", False):
            context["compare_form"] = CompareForm(versions=selectors.policy_version_choices())
        return context


def _detail_context(request, version: PolicyVersion, **forms) -> dict:
    """What the detail page shows, with the lifecycle forms the user may use (bound ones passed in)."""
    user = request.user
    content = version.signed_content()
    signatures = [
        {"signature": s, "intact": signature_matches(s, content)}
        for s in (version.author_signature, version.approval_signature)
        if s is not None
    ]
    context = {
        "version": version,
        "signatures": signatures,
        "signatures_intact": all(row["intact"] for row in signatures),
        "confirmations": version.confirmations(),
        "missing_confirmations": version.missing_confirmations(),
        "previous": PolicyVersion.objects.filter(number__lt=version.number).order_by("-number").only("pk").first(),
    }
    if version.status == Status.DRAFT and user.has_perm("leadership.change_policyversion"):
        context["submit_form"] = forms.get("submit_form") or SignForm()
    if version.status == Status.SUBMITTED and user.has_perm("leadership.approve_policyversion"):
        context["approve_form"] = forms.get("approve_form") or SignForm()
        context["reject_form"] = forms.get("reject_form") or RejectForm()
    if version.status in {Status.PUBLISHED, Status.SUPERSEDED}:
        context["coverage"] = selectors.policy_coverage_figures(version)
    if user.has_perm("leadership.view_historicalpolicyversion"):
        context["history"] = history_for(version)
    return context


class PolicyVersionDetailView(PermissionRequiredMixin, View):
    permission_required = "leadership.view_policyversion"

    def get(self, request, pk):
        version = get_object_or_404(selectors.policy_version_list(), pk=pk)
        return render(request, DETAIL_TEMPLATE, _detail_context(request, version))


class PolicyVersionFormView(ServiceFormView):
    """Write a new draft, or change one; anything past draft is refused with the way forward."""

    form_class = PolicyVersionForm
    add_permission = "leadership.add_policyversion"
    change_permission = "leadership.change_policyversion"
    verbose_name = "policy version"

    def get_object(self):
        return get_object_or_404(PolicyVersion, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        # Said before the form is shown, not after someone has typed into it; the services
        # refuse the same cases anyway.
        if request.user.is_authenticated and self.has_permission():
            if self.object is not None and not self.object.is_editable:
                messages.error(request, services.policy_version_locked_message(self.object))
                return redirect(self.object)
            if self.object is None:
                in_progress = (
                    PolicyVersion.objects.filter(status__in=[Status.DRAFT, Status.SUBMITTED]).order_by("number").first()
                )
                if in_progress is not None:
                    messages.error(
                        request,
                        f"Version {in_progress.number} is already in progress "
                        f"({in_progress.get_status_display().lower()}); continue with it instead of starting another.",
                    )
                    return redirect(in_progress)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            target = self.object or PolicyVersion.objects.filter(pk=exc.extra.get("version")).first()
            return redirect(target or reverse("leadership:policy-version-list"))

    def create(self, data):
        return services.policy_version_create(actor=self.request.user, **data)

    def update(self, obj, data):
        return services.policy_version_update(actor=self.request.user, version=obj, **data)

    def cancel_url(self):
        return reverse("leadership:policy-version-list")


class PolicyVersionActionView(PermissionRequiredMixin, View):
    """A lifecycle step: POST only, one service call, back to the version with a message."""

    http_method_names = ["post"]
    form_class = None
    form_name = ""

    def perform(self, version: PolicyVersion, data: dict) -> PolicyVersion:
        raise NotImplementedError

    def success_message(self, version: PolicyVersion) -> str:
        raise NotImplementedError

    def post(self, request, pk):
        version = get_object_or_404(selectors.policy_version_list(), pk=pk)
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            return self.invalid(version, form)
        try:
            result = self.perform(version, form.cleaned_data if form is not None else {})
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect(version)
            add_service_errors(form, exc)
            return self.invalid(version, form)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(version)
        messages.success(request, self.success_message(result))
        return redirect(result)

    def invalid(self, version, form):
        context = _detail_context(self.request, version, **{self.form_name: form})
        return render(self.request, DETAIL_TEMPLATE, context)


class PolicyVersionSubmitView(PolicyVersionActionView):
    permission_required = "leadership.change_policyversion"
    form_class = SignForm
    form_name = "submit_form"

    def perform(self, version, data):
        return services.policy_version_submit(
            actor=self.request.user, version=version, password=data["password"], otp_code=data["otp_code"]
        )

    def success_message(self, version):
        return f"Version {version.number} is submitted for approval and signed by you as its author."


class PolicyVersionApproveView(PolicyVersionActionView):
    permission_required = "leadership.approve_policyversion"
    form_class = SignForm
    form_name = "approve_form"

    def perform(self, version, data):
        return services.policy_version_approve(
            actor=self.request.user, version=version, password=data["password"], otp_code=data["otp_code"]
        )

    def success_message(self, version):
        return f"Version {version.number} is approved and signed. It can now be published."


class PolicyVersionRejectView(PolicyVersionActionView):
    permission_required = "leadership.approve_policyversion"
    form_class = RejectForm
    form_name = "reject_form"

    def perform(self, version, data):
        return services.policy_version_reject(actor=self.request.user, version=version, reason=data["reason"])

    def success_message(self, version):
        return f"Version {version.number} is back in draft; the author sees your reason."


class PolicyVersionNewFromView(PolicyVersionActionView):
    permission_required = "leadership.add_policyversion"

    def post(self, request, pk):
        source = get_object_or_404(PolicyVersion, pk=pk)
        try:
            draft = services.policy_version_new_from(actor=request.user, source=source)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            existing = PolicyVersion.objects.filter(pk=exc.extra.get("version")).first()
            return redirect(existing or source)
        messages.success(
            request, f"Draft version {draft.number} created from version {source.number}. Edit it, then submit it."
        )
        return redirect("leadership:policy-version-update", pk=draft.pk)


class PolicyVersionPublishView(PermissionRequiredMixin, View):
    """Publishing first shows what it resets (acknowledgements, share links), then publishes on confirm."""

    permission_required = "leadership.publish_policyversion"

    def get(self, request, pk):
        version = get_object_or_404(selectors.policy_version_list(), pk=pk)
        if version.status != Status.APPROVED:
            messages.error(
                request,
                f"Version {version.number} is {version.get_status_display().lower()}; "
                "only an approved version can be published.",
            )
            return redirect(version)
        preview = services.policy_version_publish_preview(version=version)
        return render(request, "leadership/policy/version_publish.html", {"version": version, **preview})

    def post(self, request, pk):
        version = get_object_or_404(PolicyVersion, pk=pk)
        try:
            version = services.policy_version_publish(actor=request.user, version=version)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(version)
        messages.success(
            request,
            f"Version {version.number} is published and in force. Everyone is asked to acknowledge it; "
            "its PDF is being prepared.",
        )
        return redirect(version)


class PolicyVersionRequestPdfView(PermissionRequiredMixin, View):
    permission_required = "leadership.publish_policyversion"
    http_method_names = ["post"]

    def post(self, request, pk):
        version = get_object_or_404(PolicyVersion, pk=pk)
        try:
            services.policy_version_request_pdf(actor=request.user, version=version)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"The PDF of version {version.number} is being prepared.")
        return redirect(version)


class PolicyVersionCompareView(PermissionRequiredMixin, TemplateView):
    permission_required = "leadership.view_policyversion"
    template_name = "leadership/policy/version_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = selectors.policy_version_choices()
        form = CompareForm(self.request.GET or None, versions=versions)
        context["form"] = form
        if form.is_bound and form.is_valid():
            picked = {form.cleaned_data["a"].pk, form.cleaned_data["b"].pk}
            chosen = list(selectors.policy_version_list().filter(pk__in=picked))
            older, newer = min(chosen, key=lambda v: v.number), max(chosen, key=lambda v: v.number)
            context["same"] = older.pk == newer.pk
            context.update(selectors.policy_version_compare(older, newer))
        return context


class PolicyVersionPdfView(LoginRequiredMixin, View):
    """The stored PDF: the published one for every member of staff, any other to those who may read versions."""

    def get(self, request, pk):
        version = get_object_or_404(PolicyVersion, pk=pk)
        may_read = request.user.has_perm("leadership.view_policyversion") or (
            version.status == Status.PUBLISHED and Person.objects.filter(user=request.user).exists()
        )
        if not may_read:
            raise PermissionDenied("You may not download this version of the policy.")
        return pdf_response(version, as_attachment=True)


# Staff: read and acknowledge ------------------------------------------------------------------


class CurrentPolicyView(LoginRequiredMixin, View):
    """“Our quality policy”: the version in force, and the button to acknowledge it."""

    template_name = "leadership/policy/current.html"

    def get(self, request):
        published = selectors.policy_version_published()
        has_person = Person.objects.filter(user=request.user).exists()
        context = {
            "version": published,
            "has_person": has_person,
            "acknowledgement": selectors.acknowledgement_of(user=request.user, version=published),
        }
        return render(request, self.template_name, context)


class AcknowledgeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        version = PolicyVersion.objects.filter(pk=request.POST.get("version") or None).first()
        try:
            services.policy_acknowledgement_record(actor=request.user, version=version)
        except ApplicationError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            # Acknowledging twice is not an error for the person: it is already on record.
            (messages.info if exc.extra.get("acknowledgement") else messages.error)(request, exc.message)
        else:
            messages.success(request, "Thank you. Your acknowledgement is recorded.")
        return redirect("leadership:policy-current")


class CoverageView(PermissionRequiredMixin, TemplateView):
    """Who has acknowledged the policy, per department and overall, and who has not yet (5.2.2.b)."""

    permission_required = "leadership.view_policyversion"
    template_name = "leadership/policy/coverage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(
            PolicyVersion.objects.filter(status__in=[Status.PUBLISHED, Status.SUPERSEDED])
            .only("pk", "number", "status")
            .order_by("-number")
        )
        wanted = self.request.GET.get("version")
        version = next((v for v in versions if str(v.pk) == wanted), None) if wanted else None
        if version is None:
            version = next((v for v in versions if v.status == Status.PUBLISHED), None)
        context["versions"] = versions
        if version is not None:
            context["version"] = selectors.policy_version_get(version.pk)
            context["coverage"] = selectors.policy_coverage(context["version"])
        return context


# Sharing with interested parties -------------------------------------------------------------


class ShareLinkListView(PermissionRequiredMixin, View):
    """Public links to the published policy: who made them, for where, and which still work."""

    permission_required = "leadership.view_policysharelink"
    template_name = "leadership/policy/share_links.html"

    def context(self, form=None) -> dict:
        published = selectors.policy_version_published()
        can_share = self.request.user.has_perm("leadership.share_policyversion")
        return {
            "links": list(selectors.share_link_list()[:200]),
            "published": published,
            "can_share": can_share,
            "form": form or (ShareLinkForm() if can_share and published else None),
        }

    def get(self, request):
        return render(request, self.template_name, self.context())

    def post(self, request):
        if not request.user.has_perm("leadership.share_policyversion"):
            raise PermissionDenied("You may not share the quality policy.")
        form = ShareLinkForm(request.POST)
        if form.is_valid():
            try:
                link = services.policy_share_link_create(actor=request.user, label=form.cleaned_data["label"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect("leadership:policy-share-list")
            else:
                messages.success(request, f"Link “{link.label}” created. Copy it below; it works until you revoke it.")
                return redirect("leadership:policy-share-list")
        return render(request, self.template_name, self.context(form))


class ShareLinkRevokeView(PermissionRequiredMixin, View):
    permission_required = "leadership.share_policyversion"
    http_method_names = ["post"]

    def post(self, request, pk):
        link = get_object_or_404(PolicyShareLink, pk=pk)
        try:
            services.policy_share_link_revoke(actor=request.user, link=link)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Link “{link.label}” revoked: it no longer opens the policy.")
        return redirect("leadership:policy-share-list")


def _shared_link_or_404(request, token):
    link = selectors.share_link_for_token(token)
    if link is None:
        return None, render(request, "leadership/policy/public_invalid.html", status=404)
    return link, None


@method_decorator(never_cache, name="dispatch")
class PublicPolicyView(View):
    """The published policy for interested parties, through a share link: no login (5.2.2.c)."""

    def get(self, request, token):
        link, invalid = _shared_link_or_404(request, token)
        if invalid is not None:
            return invalid
        return render(request, "leadership/policy/public.html", {"version": link.version, "link": link})


@method_decorator(never_cache, name="dispatch")
class PublicPolicyPdfView(View):
    def get(self, request, token):
        link, invalid = _shared_link_or_404(request, token)
        if invalid is not None:
            return invalid
        return pdf_response(link.version, as_attachment=False)
