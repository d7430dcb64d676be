"""Template tags lower apps use to show evidence on their pages without importing `evidence`."""

from django import template
from django.contrib.contenttypes.models import ContentType

from evidence.selectors import attachments as selectors
from evidence.selectors.clauses import clauses_for_record
from evidence.services import attachments as services

register = template.Library()


@register.inclusion_tag("evidence/partials/_attachments.html", takes_context=True)
def attachments_for(context, record):
    """A card listing `record`'s attachments, with an upload form for those who may add.

    Usage: {% load evidence_tags %}{% attachments_for object %}
    """
    request = context["request"]
    user = request.user
    can_view = services.attachment_can_view(user=user, record_model=type(record))
    can_add = services.attachment_can_add(user=user, record=record)
    return {
        "can_view": can_view,
        "can_add": can_add,
        "attachments": list(selectors.attachment_list_for(record)) if can_view else [],
        "content_type_id": ContentType.objects.get_for_model(record).pk,
        "object_id": record.pk,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        "accepted": ", ".join(services.ACCEPTED_EXTENSIONS),
    }


@register.inclusion_tag("evidence/clauses/partials/_evidences_for.html", takes_context=True)
def evidences_for(context, record):
    """The ISO requirement items `record` evidences ("Evidences: 5.2.1.a, 5.2.2.a"), linked to their clause pages.

    Usage: {% load evidence_tags %}{% evidences_for object %}
    """
    user = context["request"].user
    return {"items": clauses_for_record(record), "can_open": user.has_perm("evidence.view_clause")}
