"""Screenshots of pages of a running MIRA (e.g. make run), for looking at them.

    .venv/bin/python scripts/shoot.py beratung /cases/1/ [/start/ ...]  [--lang ar] [--base http://127.0.0.1:8000]

Saves var/screenshots/shoot-<path>-<desktop|tablet>.png. Demo password mira-demo.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run", "--lang=de-DE"]  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("username")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--lang", default="de")
    options = parser.parse_args()
    folder = ROOT / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(base_url=options.base, viewport={"width": 1280, "height": 900}, locale="de-DE")
        violations = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto("/accounts/login/")
        page.fill("#id_username", options.username)
        page.fill("#id_password", "mira-demo")
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()
        if options.lang != "de":
            page.evaluate(f"document.cookie = 'django_language={options.lang}; path=/'")
        for path in options.paths:
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"
            for label, width in (("desktop", 1280), ("tablet", 800)):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(path)
                page.screenshot(
                    path=folder / f"shoot-{name}-{options.lang}-{label}.png", full_page=True, caret="initial"
                )
            print(path, page.title())
        if violations:
            print("CSP violations:", violations)
        browser.close()


if __name__ == "__main__":
    main()
