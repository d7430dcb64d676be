"""PDF rendering shared by every app: a template in templates/pdf/ rendered with WeasyPrint.

Call `render_pdf` only from Celery tasks (or management commands): rendering takes a second or
more and must not hold a web request. The URL fetcher lets a document load only the project's
own static files and media, so a template (or text typed by a user into it) can never make
WeasyPrint read other local files or reach the network.
"""

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in templates ("/static/css/print.css" from {% static %}) resolve against this.
BASE_URL = "file:///"

_MIME_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


class FetchRefused(ValueError):
    """A document asked for something outside the static and media folders."""


def _static_roots() -> list[tuple[str, Path]]:
    """(URL prefix, folder) of each static folder: STATICFILES_DIRS (which may carry a prefix), then STATIC_ROOT."""
    roots = []
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        prefix, path = entry if isinstance(entry, (tuple, list)) else ("", entry)
        roots.append((prefix.strip("/"), Path(path)))
    if settings.STATIC_ROOT:
        roots.append(("", Path(settings.STATIC_ROOT)))
    return roots


def allowed_roots() -> list[Path]:
    """The folders a document may load files from: static files and media."""
    roots = [path for _prefix, path in _static_roots()]
    if settings.MEDIA_ROOT:
        roots.append(Path(settings.MEDIA_ROOT))
    return [root.resolve() for root in roots]


def _within(path: Path, roots: list[Path]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def resolve_local(url: str) -> Path:
    """The file behind a document URL, or FetchRefused.

    `/static/<path>` (what {% static %} gives) is looked up in STATICFILES_DIRS, then STATIC_ROOT.
    Any other file URL must point, after resolving symlinks and "..", inside the static or media
    folders. Every other scheme (http, https, ftp, ...) is refused.
    """
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in {"", "localhost"}:
        raise FetchRefused(f"Only local static and media files may be loaded into a PDF, not {url!r}.")
    path = unquote(parts.path)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if path.startswith(static_prefix):
        relative = path[len(static_prefix) :]
        for prefix, root in _static_roots():
            if prefix and not relative.startswith(prefix + "/"):
                continue
            candidate = (root / relative.removeprefix(prefix + "/" if prefix else "")).resolve()
            if _within(candidate, [root.resolve()]) and candidate.is_file():
                return candidate
    candidate = Path(path).resolve()
    if _within(candidate, allowed_roots()) and candidate.is_file():
        return candidate
    raise FetchRefused(f"{url!r} is not a static or media file of Clause5.")


class LocalFilesFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves static and media files and refuses everything else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            # Inline data needs neither the network nor the disk.
            return super().fetch(url, headers)
        path = resolve_local(url)
        mime_type = _MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers={"Content-Type": mime_type})


def render_pdf(
    template_name: str,
    context: dict,
    *,
    pdf_variant: str | None = None,
    attachments: list[Attachment] | None = None,
    page_count: list | None = None,
) -> bytes:
    """Render `template_name` (under templates/pdf/) with `context` to PDF bytes.

    `pdf_variant` (e.g. "pdf/a-3b") makes an archival PDF; `attachments` are
    `weasyprint.Attachment`s embedded as files (PDF/A-3 allows any file type). Metadata comes
    from the HTML: <title>, <meta name="author|description|keywords|dcterms.created">. Pass a
    list as `page_count` to receive the number of pages laid out.
    """
    html = render_to_string(template_name, {"organisation_name": settings.ORGANISATION_NAME, **context})
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFilesFetcher(fail_on_errors=False))
    options = {}
    if pdf_variant:
        options["pdf_variant"] = pdf_variant
    if attachments:
        options["attachments"] = attachments
    if page_count is None:
        return document.write_pdf(**options)
    rendered = document.render(**options)
    page_count.append(len(rendered.pages))
    return rendered.write_pdf(**options)
