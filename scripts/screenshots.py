"""Take the README's screenshots from a running Clause5 (make run) with headless Chromium.

.venv/bin/python scripts/screenshots.py [--base-url http://127.0.0.1:8000]

The recording-page shot starts the next planned quality meeting of the demo (MTG-2026-001) and
records part of it, as a minute-taker would: run it on a demo database you can throw away.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAX_HEIGHT = 2400
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

# (file name, user, path, viewport width)
SHOTS = [
    ("login.png", None, "/accounts/login/", 1280),
    ("dashboard.png", "priya", "/", 1280),
    ("readiness.png", "priya", "/evidence/readiness/", 1280),
    ("policy-versions.png", "priya", "/leadership/policy/versions/", 1280),
    ("policy-current.png", "sophie", "/leadership/policy/", 1280),
    ("responsibility-matrix.png", "priya", "/leadership/positions/matrix/", 1280),
    ("commitment.png", "margaret", "/leadership/commitment/", 1280),
    ("objectives.png", "lucy", "/objectives/", 1280),
    ("objective.png", "lucy", "/objectives/9/", 1280),
    ("customer-figures.png", "james", "/leadership/customers/figures/", 1280),
    ("people.png", "priya", "/leadership/people/", 1280),
    ("department.png", "claire", "/leadership/departments/1/", 1280),
    ("meeting.png", "priya", "/reviews/meetings/17/", 1280),
    ("meeting-record.png", "lucy", "/reviews/meetings/1/record/", 1280),  # see record_part_of_a_meeting
    ("management-review.png", "margaret", "/reviews/management-reviews/1/", 1280),
    ("actions.png", "lucy", "/reviews/actions/", 1280),
    ("attendance.png", "priya", "/reviews/attendance/", 1280),
    ("api-docs.png", "priya", "/api/docs/", 1280),
    ("people-phone.png", "sophie", "/leadership/people/", 390),
]


def record_part_of_a_meeting(page) -> None:
    """Start the meeting, mark attendance, write minutes, add a decision with an action."""
    if page.get_by_role("button", name="Start the meeting").count():
        page.get_by_role("button", name="Start the meeting").click()
        page.wait_for_selector("textarea.autosave")
    rows = page.locator("[id^=attendee-]")
    for i in range(rows.count()):
        name = "Sent apologies" if i == 5 else "Present"
        rows.nth(i).get_by_role("button", name=name).click()
    minutes = [
        "Nine actions from October: seven verified, two in progress (SPC chart, toolbox talk).",
        "Scrap 1.9% against the 2.5% target, first month under target since May. Rework on the 4471 "
        "bore down to two parts after the SPC chart went live.",
        "On-time delivery 95.1% (target 96%): two late orders for Aerolux, both caused by the late "
        "titanium bar delivery.",
    ]
    areas = page.locator("textarea.autosave")
    for i, text in enumerate(minutes):
        areas.nth(i).fill(text)
        areas.nth(i).dispatch_event("keyup")
    form = page.locator("[id^=decision-add-]").nth(2)
    form.locator("textarea[name=text]").fill("Qualify a second titanium bar supplier before the end of Q1.")
    form.locator("select[name=owner]").select_option(label="Aisha Khan")
    form.get_by_role("button", name="Add decision").click()
    action = page.locator("[id^=action-add-]").first
    action.wait_for()
    action.locator("input[name=title]").fill("Audit the second mill and approve it as a supplier")
    action.locator("select[name=owner]").select_option(label="Aisha Khan")
    action.locator("input[name=due_date]").fill("2027-03-31")
    action.get_by_role("button", name="Add action").click()
    page.wait_for_load_state("networkidle")
    # Reload: the page as the next person to open it sees it, scrolled to the top.
    page.reload()
    page.wait_for_load_state("networkidle")


PREPARE = {"meeting-record.png": record_part_of_a_meeting}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="clause5-demo")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, user, path, width in SHOTS:
            context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=1)
            page = context.new_page()
            if user:
                page.goto(args.base_url + "/accounts/login/")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", args.password)
                page.click("button[type=submit]")
                page.wait_for_url(args.base_url + "/")
            page.goto(args.base_url + path)
            page.wait_for_load_state("networkidle")
            if name in PREPARE:
                PREPARE[name](page)
            # Long pages (a management review) are cut at MAX_HEIGHT: the README shows their top.
            height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
            page.screenshot(
                path=str(OUT / name), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height}
            )
            print("saved", OUT / name)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
