"""One command: page and API latency at S, M (and L) on PostgreSQL under gunicorn, against a baseline view.

For each scale it creates a throwaway database `clause5_bench_<scale>` on the PostgreSQL server of
BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432), migrates it, fills it with bench/generate.py,
starts `gunicorn qms.wsgi --workers 2` on a free port (DEBUG off, CLAUSE5_BENCH=1 so that
/bench/baseline/ exists), signs in as the demo chief executive and times each page and API list N times
after 3 warm-ups (median and p95, ratio to the baseline's median). Then requests per second of
/api/objectives/ and of the baseline under wrk, and stops gunicorn. At S and M it then builds a 12-month
evidence pack in a child process (wall time, peak memory, pages) and times WeasyPrint alone on the same
HTML (saved to a file first) in another; at L it runs the daily progress check and the reminder tasks
in a child process (wall time and SQL queries of each); see bench/measure.py. It drops the database and
writes bench/RESULTS.md.

    .venv/bin/python bench/run.py                       # S and M, 30 requests each
    .venv/bin/python bench/run.py --scales S,M,L --requests 50
    .venv/bin/python bench/run.py --only tasks --scales L   # only the task rows (no gunicorn, no pack)
    .venv/bin/python bench/run.py --only pack --scales M
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WARMUPS = 3
# Targets of issue 7: every page and API list within this many times the baseline's median.
TARGET_RATIO = {"S": 3.0, "M": 3.0, "L": 5.0}
# The evidence pack is measured at S and M, the daily progress check and reminder tasks at L (issue 7).
PACK_SCALES = {"S", "M"}
TASK_SCALES = {"L"}
PARTS = ("pages", "pack", "tasks")
# Targets of the pack at M and of the progress check at L.
PACK_MAX_SECONDS, PACK_MAX_MIB, PACK_MAX_RATIO = 60, 1024, 1.3
PROGRESS_CHECK_MAX_SECONDS = 60

PAGES = [
    ("Home dashboard", "/"),
    ("Readiness", "/evidence/readiness/"),
    ("Objectives dashboard", "/objectives/"),
    ("Meeting page", "/reviews/meetings/{meeting_pk}/"),
    ("Action register", "/reviews/actions/"),
    ("API objectives list", "/api/objectives/"),
    ("API actions list", "/api/actions/"),
    ("API customer feedback list", "/api/customer-feedback/"),
]
BASELINE = ("Baseline (template + 1 query)", "/bench/baseline/")
# Not a target's baseline: base.html (menus, user menu) around the same query, what every page starts from.
SHELL = ("Shell (base.html + 1 query)", "/bench/shell/")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd, env, what):
    started = time.perf_counter()
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"bench: {what} failed (exit {result.returncode})")
    return result.stdout, time.perf_counter() - started


def _pg(args: list[str], pg: urllib.parse.ParseResult, check=True):
    cmd = [args[0], "-h", pg.hostname or "127.0.0.1", "-p", str(pg.port or 5432), "-U", pg.username or "postgres"]
    return subprocess.run(cmd + args[1:], capture_output=True, text=True, check=check)


class Client:
    """A signed-in browser session (cookies, CSRF) over urllib."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def login(self, username: str, password: str) -> None:
        self.opener.open(self.base + "/accounts/login/").read()
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.cookie("csrftoken")}
        ).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data, headers={"Referer": self.base})  # noqa: S310 (http://127.0.0.1 only)
        self.opener.open(request).read()
        if not self.cookie("sessionid"):
            raise SystemExit(f"bench: could not sign in as {username}")

    def get(self, path: str) -> float:
        started = time.perf_counter()
        with self.opener.open(self.base + path) as response:
            response.read()
            if response.status != 200 or response.url.rstrip("/") != (self.base + path).split("?")[0].rstrip("/"):
                raise SystemExit(f"bench: {path} answered {response.status} at {response.url}")
        return (time.perf_counter() - started) * 1000


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _measure(client: Client, path: str, n: int) -> dict:
    for _ in range(WARMUPS):
        client.get(path)
    times = [client.get(path) for _ in range(n)]
    return {"median": statistics.median(times), "p95": _p95(times)}


def _wrk(base: str, path: str, session: str, seconds: int, connections: int) -> float | None:
    if not shutil.which("wrk"):
        return None
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Cookie: sessionid={session}", base + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"bench: wrk got errors on {path}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _wait_up(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("bench: gunicorn exited; see its output above")
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2).read()  # noqa: S310 (http://127.0.0.1 only)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("bench: gunicorn did not answer within 60 s")


def bench_scale(scale: str, args, pg, static_root: str) -> dict:
    dbname = f"clause5_bench_{scale.lower()}"
    db_url = f"{pg.scheme}://{pg.netloc}/{dbname}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qms.settings.local",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "clause5-bench-not-secret-" + "x" * 40,
        "DJANGO_STATIC_ROOT": static_root,
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": db_url,
        "EMAIL_URL": "consolemail://",
        "CLAUSE5_BENCH": "1",
    }
    _pg(["dropdb", "--if-exists", dbname], pg)
    _pg(["createdb", dbname], pg)
    try:
        print(f"[{scale}] migrating {dbname} ...", flush=True)
        _run([PYTHON, "manage.py", "migrate", "-v0"], env, "migrate")
        print(f"[{scale}] generating data ...", flush=True)
        out, _ = _run([PYTHON, "bench/generate.py", scale], env, "generate")
        data = json.loads(out.strip().splitlines()[-1])
        print(f"[{scale}] data built in {data['seconds']} s", flush=True)
        result = {"scale": scale, "generate_seconds": data["seconds"], "rows": {}, "rps": {}}
        if "pages" in args.only:
            result.update(bench_pages(scale, args, env, data))
        if "pack" in args.only and scale in PACK_SCALES:
            result["pack"] = bench_pack(scale, env)
        if "tasks" in args.only and scale in TASK_SCALES:
            result["tasks"] = bench_tasks(scale, env)
        return result
    finally:
        if not args.keep_db:
            _pg(["dropdb", "--if-exists", dbname], pg, check=False)


def _child_json(cmd, env, what) -> dict:
    out, _ = _run([PYTHON, *cmd], env, what)
    return json.loads(out.strip().splitlines()[-1])


def bench_pack(scale: str, env: dict) -> dict:
    """A 12-month evidence pack built in a child process, then WeasyPrint alone on its HTML in another."""
    with tempfile.TemporaryDirectory(prefix="clause5-bench-pack-") as workdir:
        print(f"[{scale}] building an evidence pack ...", flush=True)
        pack = _child_json(["bench/measure.py", "pack", workdir], env, "evidence pack")
        print(
            f"[{scale}] Evidence pack (12 months)          {pack['seconds']:7.1f} s  peak {pack['peak_mib']} MiB  "
            f"{pack['pages']} pages  ({pack['gather_seconds']} s gathering, {pack['queries']} queries)",
            flush=True,
        )
        alone = _child_json(["bench/measure.py", "weasyprint", workdir], env, "WeasyPrint alone")
    pack["weasyprint"] = alone
    pack["ratio"] = pack["seconds"] / alone["seconds"]
    print(
        f"[{scale}] WeasyPrint alone, same HTML         {alone['seconds']:7.1f} s  peak {alone['peak_mib']} MiB  "
        f"{alone['pages']} pages  pack/WeasyPrint {pack['ratio']:.2f}x",
        flush=True,
    )
    return pack


def bench_tasks(scale: str, env: dict) -> dict:
    """The daily progress check and the reminder tasks, once each, in a child process."""
    print(f"[{scale}] running the daily progress check and the reminder tasks ...", flush=True)
    tasks = _child_json(["bench/measure.py", "tasks"], env, "tasks")
    for name, row in tasks.items():
        print(f"[{scale}] {name:<32} {row['seconds']:7.2f} s  {row['queries']:6d} queries", flush=True)
    return tasks


def bench_pages(scale: str, args, env: dict, data: dict) -> dict:
    proc = None
    try:
        print(f"[{scale}] starting gunicorn", flush=True)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "qms.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        _wait_up(base, proc)
        client = Client(base)
        client.login(data["username"], data["password"])
        rows = {}
        for name, path in [BASELINE, SHELL, *PAGES]:
            path = path.format(meeting_pk=data["meeting_pk"])
            rows[name] = {"path": path, **_measure(client, path, args.requests)}
            row, ratio = rows[name], rows[name]["median"] / rows[BASELINE[0]]["median"]
            print(f"[{scale}] {name:<32} median {row['median']:7.1f} ms  p95 {row['p95']:7.1f} ms  {ratio:6.2f}x")
        rps = {}
        for name, path in [BASELINE, ("API objectives list", "/api/objectives/")]:
            rps[name] = _wrk(base, path, client.cookie("sessionid"), args.wrk_seconds, args.wrk_connections)
            if rps[name] is not None:
                print(f"[{scale}] wrk {name:<28} {rps[name]:7.1f} requests/s")
        if any(v is None for v in rps.values()):
            print(
                "bench: wrk is not installed, skipping requests per second (apt-get install wrk, "
                "or scripts/system-deps.sh bench as root)"
            )
        return {"rows": rows, "rps": rps}
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def _commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    return result.stdout.strip() + (" (with uncommitted changes)" if dirty.strip() else "")


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), platform.machine())
    return f"{os.cpu_count()} cores ({cpu}), {memory:.1f} GiB memory, {platform.system()} {platform.release()}"


def _status(met: bool) -> str:
    return "met" if met else "NOT met"


def _page_lines(result: dict, targets: list[str]) -> list[str]:
    scale, rows = result["scale"], result["rows"]
    limit = TARGET_RATIO[scale]
    base = rows[BASELINE[0]]["median"]
    shell = rows[SHELL[0]]["median"] if SHELL[0] in rows else None
    lines = [
        "| page | path | median ms | p95 ms | ratio to baseline | ratio to shell |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    worst = 0.0
    for name, row in rows.items():
        ratio = row["median"] / base
        if name not in (BASELINE[0], SHELL[0]):
            worst = max(worst, ratio)
        to_shell = f"{row['median'] / shell:.2f}x" if shell else "-"
        lines.append(
            f"| {name} | `{row['path']}` | {row['median']:.1f} | {row['p95']:.1f} | {ratio:.2f}x | {to_shell} |"
        )
    lines.append("")
    if result["rps"] and all(v is not None for v in result["rps"].values()):
        b, o = result["rps"][BASELINE[0]], result["rps"]["API objectives list"]
        lines += [
            "| under wrk | requests/s | share of baseline |",
            "| --- | ---: | ---: |",
            f"| {BASELINE[0]} | {b:.1f} | 100% |",
            f"| API objectives list | {o:.1f} | {o / b:.0%} |",
            "",
        ]
    else:
        lines += ["Requests per second: skipped (wrk not installed: `apt-get install wrk`).", ""]
    if scale in ("M", "L"):
        targets.append(
            f"| every page and API list at {scale} within {limit:g}x the baseline median "
            f"| worst {worst:.2f}x | {_status(worst <= limit)} |"
        )
    return lines


def _pack_lines(result: dict, targets: list[str]) -> list[str]:
    scale, pack = result["scale"], result["pack"]
    alone = pack["weasyprint"]
    lines = [
        "Evidence pack of the last 12 months, built in a child process as the `pdf` worker builds it (without",
        "storing it); peak memory is that process's max RSS. WeasyPrint alone: the same HTML, saved to a file",
        "first, laid out and written by WeasyPrint with the same options (base URL, URL fetcher, PDF/A-3b, JSON",
        "attachment) in a fresh process.",
        "",
        "| evidence pack | wall s | peak MiB | pages | MB | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| Pack (gathering {pack['gather_seconds']} s, {pack['objectives']} objectives, {pack['meetings']} meetings) "
        f"| {pack['seconds']:.1f} | {pack['peak_mib']} | {pack['pages']} | {pack['megabytes']} | {pack['queries']} |",
        f"| WeasyPrint alone, same HTML | {alone['seconds']:.1f} | {alone['peak_mib']} | {alone['pages']} "
        f"| {alone['megabytes']} | - |",
        f"| ratio pack / WeasyPrint alone | {pack['ratio']:.2f}x | | | | |",
        "",
    ]
    if scale == "M":
        targets += [
            f"| evidence pack at M under {PACK_MAX_SECONDS} s | {pack['seconds']:.1f} s "
            f"| {_status(pack['seconds'] < PACK_MAX_SECONDS)} |",
            f"| evidence pack at M under 1 GiB | {pack['peak_mib']} MiB | {_status(pack['peak_mib'] < PACK_MAX_MIB)} |",
            f"| evidence pack at M within {PACK_MAX_RATIO}x WeasyPrint alone | {pack['ratio']:.2f}x "
            f"| {_status(pack['ratio'] <= PACK_MAX_RATIO)} |",
        ]
    return lines


def _task_lines(result: dict, targets: list[str]) -> list[str]:
    scale, tasks = result["scale"], result["tasks"]
    lines = [
        "Periodic tasks, each run once with its defaults (today, now) in a child process against this data,",
        "after the pages (e-mail to an in-memory outbox). SQL statements counted with a database execute wrapper.",
        "",
        "| task | wall s | queries | result |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, row in tasks.items():
        lines.append(f"| {name} | {row['seconds']:.2f} | {row['queries']} | {json.dumps(row['result'])} |")
    lines.append("")
    check = tasks.get("Daily progress check")
    if scale == "L" and check:
        targets.append(
            f"| daily progress check at L under {PROGRESS_CHECK_MAX_SECONDS} s | {check['seconds']:.2f} s, "
            f"{check['queries']} queries | {_status(check['seconds'] < PROGRESS_CHECK_MAX_SECONDS)} |"
        )
    return lines


def write_results(results: list[dict], args, path: Path) -> None:
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/run.py` (see bench/README.md). Page and API latency on PostgreSQL under",
        "`gunicorn qms.wsgi --workers 2`, DEBUG off, signed in as the demo chief executive; each figure",
        f"from {args.requests} sequential requests after {WARMUPS} warm-ups. Ratio = page median / baseline median,",
        "the baseline being a view that renders a tiny template with one trivial query in the same process.",
        "The shell row renders the site's base.html (menus, user menu) around the same query: every page",
        "starts from it, and the last column shows each page against it. Targets are against the baseline.",
        "",
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Commit: {_commit()}",
        f"- Machine: {_machine()}",
        f"- PostgreSQL: {_pg(['psql', '-tAc', 'show server_version'], args.pg, check=False).stdout.strip()}",
        f"- wrk: {args.wrk_connections} connections, 2 threads, {args.wrk_seconds} s per row",
        "",
    ]
    targets = []
    for result in results:
        scale, rows = result["scale"], result["rows"]
        lines += [f"## Scale {scale} (data built in {result['generate_seconds']} s)", ""]
        if rows:
            lines += _page_lines(result, targets)
        if result.get("pack"):
            lines += _pack_lines(result, targets)
        if result.get("tasks"):
            lines += _task_lines(result, targets)
    ran = {(r["scale"], part) for r in results for part in ("rows", "pack", "tasks") if r.get(part)}
    if ("L", "rows") not in ran:
        targets.append("| every page and API list at L within 5x the baseline median | not run | - |")
    if ("M", "pack") not in ran:
        targets.append("| evidence pack at M: under 60 s, under 1 GiB, within 1.3x WeasyPrint alone | not run | - |")
    if ("L", "tasks") not in ran:
        targets.append("| daily progress check at L under 60 s | not run (`--only tasks --scales L`) | - |")
    lines += ["## Targets", "", "| target | measured | status |", "| --- | --- | --- |", *targets]
    lines += [
        "",
        "Query counts independent of data size: pinned by the query-count tests, not timed here. Where the",
        "time of a page that misses its target goes (profiled): bench/README.md, section `run.py`, Findings.",
        "",
    ]
    path.write_text("\n".join(lines))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="S,M", help="comma-separated, from S, M, L (default S,M; L takes long)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--wrk-connections", type=int, default=4)
    parser.add_argument(
        "--only", default=",".join(PARTS), help="comma-separated, from pages, pack, tasks (default: all three)"
    )
    parser.add_argument("--keep-db", action="store_true", help="keep clause5_bench_<scale> after the run")
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args(argv)
    scales = [s.strip().upper() for s in args.scales.split(",") if s.strip()]
    if not scales or any(s not in TARGET_RATIO for s in scales):
        parser.error("--scales takes S, M and/or L")
    args.only = {p.strip().lower() for p in args.only.split(",") if p.strip()}
    if not args.only or not args.only <= set(PARTS):
        parser.error("--only takes pages, pack and/or tasks")
    args.pg = urllib.parse.urlparse(os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    with tempfile.TemporaryDirectory(prefix="clause5-bench-static-") as static_root:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qms.settings.local", "DJANGO_STATIC_ROOT": static_root}
        print("collecting static files ...", flush=True)
        _run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env, "collectstatic")
        results = [bench_scale(scale, args, args.pg, static_root) for scale in scales]
    write_results(results, args, Path(args.output))
    print(f"written {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
