"""Take the README's screenshots from a running Clause5 (make run) with headless Chromium.

.venv/bin/python scripts/screenshots.py [--base-url http://127.0.0.1:8000]
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
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

# (file name, user, path, viewport width)
SHOTS = [
    ("login.png", None, "/accounts/login/", 1280),
    ("dashboard.png", "priya", "/", 1280),
    ("policy-versions.png", "priya", "/leadership/policy/versions/", 1280),
    ("policy-current.png", "sophie", "/leadership/policy/", 1280),
    ("responsibility-matrix.png", "priya", "/leadership/positions/matrix/", 1280),
    ("commitment.png", "margaret", "/leadership/commitment/", 1280),
    ("objectives.png", "lucy", "/objectives/", 1280),
    ("objective.png", "lucy", "/objectives/9/", 1280),
    ("customer-figures.png", "james", "/leadership/customers/figures/", 1280),
    ("people.png", "priya", "/leadership/people/", 1280),
    ("department.png", "claire", "/leadership/departments/1/", 1280),
    ("api-docs.png", "priya", "/api/docs/", 1280),
    ("people-phone.png", "sophie", "/leadership/people/", 390),
]


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
            page.screenshot(path=str(OUT / name), full_page=True)
            print("saved", OUT / name)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
