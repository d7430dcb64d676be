"""API of auditor access: the limited auditor accounts and their periods (read-only).

Periods are granted and changed on the pages (and their services); reading needs
`evidence.view_auditoraccess`.
"""

from rest_framework import mixins, viewsets

from evidence.api.serializers.access import AuditorAccessSerializer
from evidence.selectors import access as selectors


class AuditorAccessViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Auditor accounts limited to a period, with their status today."""

    serializer_class = AuditorAccessSerializer
    ordering_fields = ["valid_until", "valid_from"]

    def get_queryset(self):
        return selectors.auditor_access_list()
