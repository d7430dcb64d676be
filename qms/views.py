from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_filters.views import FilterView

from qms import health
from qms.dashboard import panels_for


@login_required
def home(request):
    return render(request, "qms/home.html", {"panels": panels_for(request)})


@never_cache
@require_GET
def healthz(request):
    """Database and broker status as JSON; 503 when either is down, for load balancers and compose."""
    checks = {"database": health.check_database(), "broker": health.check_broker()}
    healthy = all(c["status"] == "ok" for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)


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
