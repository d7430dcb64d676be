from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView
from django_filters.views import FilterView

from qms import health
from qms.concurrency import EditConflict
from qms.dashboard import panels_for
from qms.forms import VersionedFormMixin, add_service_errors, edit_conflict_rows
from qms.models import Notification


@login_required
def home(request):
    return render(request, "qms/home.html", {"panels": panels_for(request)})


@login_required
@require_GET
def bench_baseline(request):
    """The benchmark's baseline: a tiny template and one trivial query, the cost of Django itself (bench/run.py)."""
    exists = get_user_model().objects.filter(pk=request.user.pk).exists()
    return render(request, "qms/bench_baseline.html", {"exists": exists})


@login_required
@require_GET
def bench_shell(request):
    """The shell alone: base.html (menus, user menu, notifications) around one trivial query (bench/run.py).

    Not a target's baseline: it shows how much of every page's time the shell takes.
    """
    exists = get_user_model().objects.filter(pk=request.user.pk).exists()
    return render(request, "qms/bench_shell.html", {"exists": exists})


@never_cache
@require_GET
def healthz(request):
    """Database, broker and task outbox status as JSON: 503 only when the database is down.

    A broker that is down makes the status "degraded" with 200 (see `qms.health.report`).
    """
    body, status = health.report()
    return JsonResponse(body, status=status)


class HtmxFilterListView(FilterView):
    """A filtered, paginated list; htmx requests get only the table partial."""

    paginate_by = 50
    partial_template_name: str = ""

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and self.partial_template_name:
            return [self.partial_template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Page links keep the filters of the current query.
        params = self.request.GET.copy()
        params.pop("page", None)
        context["filter_query"] = params.urlencode()
        return context


class ServiceFormView(PermissionRequiredMixin, FormView):
    """Create a record, or edit one, through the owning app's services.

    Subclasses name the permissions and implement `get_object`, `create` and `update`; a
    ValidationError from a service is shown on the form, and nothing is saved.
    """

    template_name = "qms/form_page.html"
    add_permission: str = ""
    change_permission: str = ""
    verbose_name: str = "record"

    def get_permission_required(self):
        return [self.change_permission if "pk" in self.kwargs else self.add_permission]

    def get_object(self):
        raise NotImplementedError

    def create(self, data: dict):
        raise NotImplementedError

    def update(self, obj, data: dict):
        raise NotImplementedError

    # The version the user edited, from a form with `qms.forms.VersionedFormMixin`; `update` passes
    # it to the service as `expected_version`.
    expected_version: int | None = None
    edit_conflict = None

    @cached_property
    def object(self):
        return self.get_object() if "pk" in self.kwargs else None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.object is not None and hasattr(self.object, "version"):
            kwargs["initial"] = {**kwargs.get("initial", {}), "version": self.object.version}
        return kwargs

    def form_valid(self, form):
        if isinstance(form, VersionedFormMixin):
            self.expected_version = form.pop_version()
        try:
            if self.object is None:
                obj = self.create(dict(form.cleaned_data))
                messages.success(self.request, f"{self.verbose_name.capitalize()} “{obj}” created.")
            else:
                obj = self.update(self.object, dict(form.cleaned_data))
                messages.success(self.request, f"{self.verbose_name.capitalize()} “{obj}” saved.")
        except EditConflict as exc:
            # The user's input comes back as typed, beside what the other person saved.
            self.edit_conflict = edit_conflict_rows(exc, form)
            form.show_conflict(exc)
            response = self.form_invalid(form)
            response.status_code = 409
            return response
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect(obj)

    def get_context_data(self, **kwargs):
        title = f"Edit {self.object}" if self.object else f"New {self.verbose_name}"
        cancel_url = self.object.get_absolute_url() if self.object else self.cancel_url()
        kwargs.setdefault("edit_conflict", self.edit_conflict)
        return super().get_context_data(object=self.object, title=title, cancel_url=cancel_url, **kwargs)

    def cancel_url(self) -> str:
        return reverse("home")


@login_required
def notifications(request):
    """The signed-in user's notifications, newest first; opening the page marks them read."""
    items = list(Notification.objects.filter(recipient=request.user)[:200])
    unread = [n.pk for n in items if n.read_at is None]
    if unread:
        Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "qms/notifications.html", {"notifications": items, "unread_ids": set(unread)})


@login_required
def notifications_badge(request):
    """The unread count for the navigation bar, fetched by htmx after the page has loaded."""
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return render(request, "qms/partials/_notifications_badge.html", {"count": count})


def page_not_found(request, exception):
    """A 404 under /api/ is JSON, as every other API answer is (an id the routes cannot match, say)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
