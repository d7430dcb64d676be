"""Template helpers for the Content Security Policy (django-csp, settings.CONTENT_SECURITY_POLICY)."""

import re

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

_STYLE_TAG_RE = re.compile(r"<style\b")


@register.simple_tag(takes_context=True)
def inline_svg(context, markup):
    """`{% inline_svg chart %}`: an inline SVG (a pygal chart) with the request's CSP nonce on its <style>.

    The policy refuses inline styles without the nonce, and a pygal chart is styled by one. Use it on
    a page rendered whole, not in an htmx partial: a swapped-in element would carry the partial's
    nonce, which the page's policy does not know. Without a request (a page rendered outside one,
    a PDF) the SVG is returned as it is. Text not already marked safe is escaped.
    """
    if not isinstance(markup, SafeData):
        return conditional_escape(markup)
    request = context.get("request")
    # django-csp's nonce is lazy: reading it is what puts it in the response's header.
    nonce = getattr(request, "csp_nonce", None)
    nonce = "" if nonce is None else str(nonce)
    if not nonce:
        return markup
    # The markup was safe already; only a nonce attribute (escaped) is added.
    return mark_safe(_STYLE_TAG_RE.sub(f'<style nonce="{escape(nonce)}"', str(markup)))  # noqa: S308
