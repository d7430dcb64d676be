"""Hostile and malformed values shared by the bad-input tests of every app, and their checks.

A refusal must name the field, say what is wrong, and leave the database as it was; text that is
accepted must come back escaped, in pages and in PDFs.
"""

import shutil
import subprocess

from django.utils.html import escape

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOADS = [SCRIPT, IMG]
HUGE = "x" * 100_000
NUL = "before\x00after"
# A date far enough ahead that adding a period or a response time to it overflows Python's dates.
LAST_DAY = "9999-12-31"


def form_errors(response, form_key: str = "form") -> dict:
    """The errors of the form the page was re-rendered with."""
    assert response.status_code in (200, 400, 422), f"expected the form again, got {response.status_code}"
    return response.context[form_key].errors


def assert_form_refused(response, field: str, *, form_key: str = "form", contains: str = "") -> str:
    """The page shows the form again with a message on `field`; returns the message."""
    errors = form_errors(response, form_key)
    assert field in errors, f"no error on {field!r}; errors: {dict(errors)}"
    message = " ".join(errors[field])
    assert message.strip(), f"the error on {field!r} is empty"
    assert contains.lower() in message.lower(), f"{contains!r} not in {message!r}"
    # The message reaches the user, not only the form object.
    assert escape(errors[field][0]) in response.content.decode()
    return message


def assert_api_refused(response, field: str, *, contains: str = "") -> str:
    """A 400 whose body names `field`; returns the message."""
    assert response.status_code == 400, f"expected 400, got {response.status_code}: {response.content[:500]!r}"
    body = response.json()
    assert field in body, f"no error on {field!r}; body: {body}"
    messages = body[field] if isinstance(body[field], list) else [body[field]]
    message = " ".join(str(m) for m in messages)
    assert message.strip()
    assert contains.lower() in message.lower(), f"{contains!r} not in {message!r}"
    return message


def assert_escaped(html: str, payload: str) -> None:
    """`payload` is shown as text: escaped at least once, never as live markup."""
    assert payload not in html, f"{payload!r} reached the page unescaped"
    assert escape(payload) in html, f"{payload!r} is not shown on the page at all"


def pdf_text(content: bytes) -> str:
    """The text of a PDF as a reader extracts it, by pdftotext (poppler-utils, installed for tests)."""
    executable = shutil.which("pdftotext")
    assert executable, "pdftotext is missing: install the Debian package poppler-utils"
    result = subprocess.run(  # noqa: S603 - fixed executable, PDF on standard input
        [executable, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode()


def squash(text: str) -> str:
    """Text with all white space removed, so that line breaks a PDF adds do not matter."""
    return "".join(text.split())
