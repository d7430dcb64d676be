"""Measurements that bench/run.py runs in a child process against an already generated database.

    DATABASE_URL=... .venv/bin/python bench/measure.py pack <workdir>        # evidence pack, as the "pdf" worker
    DATABASE_URL=... .venv/bin/python bench/measure.py weasyprint <workdir>  # WeasyPrint alone, same HTML
    DATABASE_URL=... .venv/bin/python bench/measure.py tasks                 # the daily check and reminder tasks

Each prints one line of JSON (the last line of its output).

- `pack` gathers and renders a 12-month pack (evidence.services.packs.pack_data + render_pack), as
  evidence_pack_build does without storing it, and reports wall time, pages and the process's peak
  memory (its own max RSS: the child does nothing else). It then saves the pack's HTML and JSON
  attachment to <workdir> (after the measurement) for `weasyprint`.
- `weasyprint` reads that HTML and times only WeasyPrint laying it out and writing the PDF, with the
  options render_pdf uses (base URL, the project's URL fetcher, PDF/A-3b, the JSON attachment).
- `tasks` runs, in this process, the daily progress check and the reminder tasks with their own
  defaults (today, now), each once, and reports wall time and number of SQL statements of each
  (counted with a database execute wrapper).
"""

import datetime
import io
import json
import logging
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _QueryCounter:
    """Counts the SQL statements run (CaptureQueriesContext keeps only the last 9,000, too few here)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure_pack(workdir: Path) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from evidence.models import EvidencePack
    from evidence.selectors.packs import pack_data
    from evidence.services.packs import pack_attachment_bytes, pack_html, render_pack

    today = timezone.localdate()
    start = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    user = get_user_model().objects.order_by("pk").first()
    pack = EvidencePack(reference="EP-BENCH-001", period_start=start, period_end=today, requested_by=user)
    started = time.perf_counter()
    queries = _QueryCounter()
    with connection.execute_wrapper(queries):
        data = pack_data(period_start=start, period_end=today, reference=pack.reference, generated_by="Bench")
    gathered = time.perf_counter() - started
    content, pages = render_pack(pack, data)
    total = time.perf_counter() - started
    peak = _peak_mib()
    # Saved after the measurement: the same HTML and attachment, for WeasyPrint alone.
    (workdir / "pack.html").write_text(pack_html(pack, data), encoding="utf-8")
    (workdir / "pack.json").write_bytes(pack_attachment_bytes(data))
    return {
        "seconds": round(total, 2),
        "gather_seconds": round(gathered, 2),
        "queries": queries.count,
        "pages": pages,
        "megabytes": round(len(content) / 1e6, 2),
        "peak_mib": round(peak),
        "objectives": data["counts"].get("objectives"),
        "meetings": data["counts"].get("signed_meetings"),
    }


def measure_weasyprint(workdir: Path) -> dict:
    from weasyprint import HTML, Attachment

    from evidence.services.packs import PDF_VARIANT
    from qms.pdf import BASE_URL, LocalFilesFetcher

    html = (workdir / "pack.html").read_text(encoding="utf-8")
    payload = (workdir / "pack.json").read_bytes()
    started = time.perf_counter()
    attachment = Attachment(file_obj=io.BytesIO(payload), name="EP-BENCH-001.json", relationship="Data")
    options = {"pdf_variant": PDF_VARIANT, "attachments": [attachment]}
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFilesFetcher(fail_on_errors=False))
    rendered = document.render(**options)
    content = rendered.write_pdf(**options)
    elapsed = time.perf_counter() - started
    return {
        "seconds": round(elapsed, 2),
        "pages": len(rendered.pages),
        "megabytes": round(len(content) / 1e6, 2),
        "peak_mib": round(_peak_mib()),
    }


def _tasks() -> list[tuple[str, object]]:
    from leadership.services.customers import customer_feedback_notify_overdue
    from objectives.services.progress import progress_check_run
    from reviews.services.actions import action_send_reminders
    from reviews.services.calendar import meeting_send_invitations, meeting_send_reminders
    from reviews.services.management_reviews import management_review_notify_overdue

    return [
        ("Daily progress check", progress_check_run),
        ("Action reminders", action_send_reminders),
        ("Meeting invitations", meeting_send_invitations),
        ("Meeting reminders", meeting_send_reminders),
        ("Customer feedback overdue", customer_feedback_notify_overdue),
        ("Management review overdue", management_review_notify_overdue),
    ]


def measure_tasks() -> dict:
    from django.db import connection

    rows = {}
    for name, task in _tasks():
        counter = _QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            result = task()
            elapsed = time.perf_counter() - started
        if isinstance(result, dict):
            result = {k: v for k, v in result.items() if isinstance(v, int) and v}
        rows[name] = {"seconds": round(elapsed, 2), "queries": counter.count, "result": result}
    return rows


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in {"pack", "weasyprint", "tasks"}:
        print(__doc__, file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.local")
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # WeasyPrint's layout and the tasks' own summaries log at INFO/WARNING; the benchmark prints its figures.
    logging.disable(logging.WARNING)
    if args[0] == "pack":
        out = measure_pack(Path(args[1]))
    elif args[0] == "weasyprint":
        out = measure_weasyprint(Path(args[1]))
    else:
        out = measure_tasks()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
