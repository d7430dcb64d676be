"""api/views of readiness: GET the score per clause and overall, every item with its status, reasons and links."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from evidence.api.serializers.readiness import ReadinessQuerySerializer, ReadinessReportSerializer
from evidence.selectors.readiness import readiness_gaps, readiness_report
from qms.api import requires

VIEW = "evidence.view_clause"


class ReadinessView(APIView):
    """Audit readiness of every ISO 9001 requirement item (the same report as the readiness page)."""

    permission_classes = [requires(VIEW)]

    @extend_schema(
        operation_id="readiness_retrieve",
        parameters=[ReadinessQuerySerializer],
        responses=ReadinessReportSerializer,
        description="Overall and per-clause scores, and each item's status (evidenced, weak, missing) with the "
        "reasons and the links where it is fixed. `gaps=true` lists only the weak and missing items.",
    )
    def get(self, request):
        query = ReadinessQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = readiness_report()
        gaps = readiness_gaps(report)
        data = {
            "today": report.today,
            "period_start": report.period_start,
            "period_end": report.period_end,
            "overall": report.overall,
            "evidenced": report.evidenced,
            "weak": report.weak,
            "missing": report.missing,
            "gaps": len(gaps),
            "thresholds": report.thresholds,
            "clauses": report.clauses,
            "items": gaps if query.validated_data["gaps"] else report.items,
        }
        return Response(ReadinessReportSerializer(data).data)
