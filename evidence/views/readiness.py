"""The readiness page: the score per clause and overall, every requirement item with its status, reasons and links."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView

from evidence.selectors.readiness import STATUS_LABELS, readiness_gaps, readiness_report

VIEW = "evidence.view_clause"


class ReadinessView(PermissionRequiredMixin, TemplateView):
    """Readiness for the certification audit; `?gaps=1` keeps only the weak and missing items."""

    permission_required = VIEW
    template_name = "evidence/readiness/page.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["evidence/readiness/partials/_items.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        report = readiness_report()
        gaps_only = self.request.GET.get("gaps") in ("1", "on", "true")
        gaps = readiness_gaps(report)
        shown = {item.id for item in gaps} if gaps_only else None
        clauses = [
            {"clause": c, "items": [i for i in c.items if shown is None or i.id in shown]} for c in report.clauses
        ]
        return super().get_context_data(
            report=report,
            gaps=gaps,
            gaps_only=gaps_only,
            clauses=[c for c in clauses if c["items"]],
            status_labels=STATUS_LABELS,
            **kwargs,
        )
