"""Filters of the evidence pack's PDF templates: the pack's data holds ISO 8601 texts, shown in words."""

import datetime

from django import template

register = template.Library()


@register.filter
def when(value: str | None) -> str:
    """'2026-03-04T14:05:09+00:00' as '4 Mar 2026, 14:05:09 UTC+00:00' (local time, offset kept)."""
    if not value:
        return ""
    moment = datetime.datetime.fromisoformat(value)
    offset = moment.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    return f"{moment.day} {moment:%b %Y, %H:%M:%S} {offset}".strip()


@register.filter
def day(value: str | None) -> str:
    """'2026-03-04' (or a moment) as '4 Mar 2026'."""
    if not value:
        return ""
    moment = datetime.date.fromisoformat(value[:10])
    return f"{moment.day} {moment:%b %Y}"


@register.filter
def filesize(value) -> str:
    """Bytes as KB or MB (1 KB = 1,000 bytes), for the index of attachments."""
    if value is None:
        return ""
    size = int(value)
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"


@register.filter
def make_list_of_one(value) -> list:
    """One signature as the list `pdf/packs/_signatures.html` takes."""
    return [value]


@register.filter
def get_item(mapping: dict, key):
    """mapping[key], or None: the chart of an objective by its reference."""
    return (mapping or {}).get(key)
