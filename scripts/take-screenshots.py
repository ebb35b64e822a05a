"""Screenshots of the agent's pages, at desk (1280×800) and phone (390×844) sizes, for the README.

    .venv/bin/python scripts/take-screenshots.py [OUT_DIR]     (default: docs/screenshots)

Starts `switchboard run --demo` on a throw-away data folder and drives Debian's Chromium.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from switchboard.testing.browser import CHROMIUM_ARGS, CHROMIUM_PATH

SIZES = {"desk": (1280, 800), "phone": (390, 844)}
PORT = 8765


def wait_for(url: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"{url} did not answer")


def shoot(page: Page, base: str, out: Path, size: str, language: str) -> None:
    suffix = f"{size}-{language}"
    page.goto(f"{base}/")
    page.screenshot(path=out / f"home-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/volunteers/")
    page.screenshot(path=out / f"open-tickets-{suffix}.png", full_page=True)
    page.locator("tbody tr[data-href]").first.click()
    page.wait_for_load_state()
    page.screenshot(path=out / f"ticket-{suffix}.png", full_page=True)
    page.click("[aria-controls=escalate]")
    page.wait_for_selector("#escalate.collapse.show")
    page.fill("#escalate textarea", "Asked twice about the van; please call her back today.")
    page.screenshot(path=out / f"escalate-{suffix}.png", full_page=True)
    page.reload()
    page.click("[aria-controls=composer]")
    page.wait_for_selector("#composer.collapse.show")  # the opening animation has ended
    page.select_option("#canned-response", index=1)
    page.screenshot(path=out / f"reply-{suffix}.png", full_page=True)
    page.click("[data-email-view-toggle]")
    page.locator("#email-view iframe").wait_for()
    page.screenshot(path=out / f"email-view-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/volunteers/canned/")
    page.screenshot(path=out / f"canned-responses-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/volunteers/templates/resolution/")
    page.frame_locator("#template-preview iframe").locator("p").first.wait_for()
    page.screenshot(path=out / f"email-templates-{suffix}.png", full_page=True)
    link = re.search(r"http://\S+/t/\S+/", page.locator("#template-preview pre").text_content() or "")
    assert link, "the resolution notice's preview has the link to the conversation"
    page.goto(link.group(0))  # the contact's link to the conversation of the group's latest ticket
    page.screenshot(path=out / f"conversation-link-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/volunteers/team/")
    page.screenshot(path=out / f"team-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/volunteers/settings/")
    page.screenshot(path=out / f"group-settings-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/volunteers/closed/")
    page.screenshot(path=out / f"closed-tickets-{suffix}.png", full_page=True)
    page.goto(f"{base}/views/open/?owner=none&source=phone")
    page.fill("#view-name", "Nobody's calls" if language == "en" else "Nieprzydzielone połączenia")
    page.click("[data-save-view] button")
    page.goto(f"{base}/views/needs-reply/")
    page.screenshot(path=out / f"views-{suffix}.png", full_page=True)
    page.click("[data-views-menu]")
    page.locator(".views-menu [data-view]").first.wait_for()
    page.screenshot(path=out / f"views-menu-{suffix}.png")
    page.goto(f"{base}/groups/donations/")
    page.locator("tbody tr[data-href]", has_text="Zielińska").first.click()
    page.wait_for_load_state("networkidle")
    page.locator(".photo-thumb img").first.hover()  # magnified beside the timeline, with its details
    page.locator("[data-photo-zoom] img").first.wait_for()
    page.screenshot(path=out / f"ticket-photo-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/volunteers/")
    page.locator("tbody tr[data-href]", has_text="Garcia").first.click()
    page.locator("audio").first.wait_for()
    page.screenshot(path=out / f"ticket-voicemail-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/donations/")
    page.locator("tbody tr[data-href]", has_text="Zielinski").first.click()
    page.wait_for_load_state("networkidle")  # Donations: opening makes the agent owner, and the page reloads
    page.click("[aria-controls=composer]")
    page.wait_for_selector("#composer.collapse.show")
    page.click("#reply-sms-tab")
    page.select_option("#id_sms_canned", index=1)
    page.screenshot(path=out / f"ticket-sms-{suffix}.png", full_page=True)


def shoot_search(page: Page, base: str, out: Path, size: str, language: str) -> None:
    """The navbar's global search: its suggestions as one types (the first chosen), and its results page."""
    suffix = f"{size}-{language}"
    page.goto(f"{base}/")
    if size == "phone":
        page.click("[data-search-toggle]")
    else:
        page.keyboard.press("/")
    page.keyboard.type("garc")
    page.locator("#global-search-results [data-number]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.screenshot(path=out / f"search-{suffix}.png")
    page.keyboard.press("Escape")
    page.goto(f"{base}/search/?q=garcia")
    page.screenshot(path=out / f"search-results-{suffix}.png", full_page=True)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    data = tempfile.mkdtemp(prefix="switchboard-shots-")
    env = {**os.environ, "SWITCHBOARD_DATA_DIR": data, "PORT": str(PORT), "SWITCHBOARD_DEMO": "1"}
    env["SITE_URL"] = f"http://127.0.0.1:{PORT}"
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "switchboard"), "run"],
        env=env,  # noqa: S603
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        wait_for(f"{base}/healthz")
        password = (Path(data) / "demo-password").read_text().strip()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            for language in ["en", "pl"]:
                for size, (width, height) in SIZES.items():
                    context = browser.new_context(viewport={"width": width, "height": height}, locale=language)
                    page = context.new_page()
                    page.goto(f"{base}/login/")
                    if size == "desk" and language == "en":
                        page.screenshot(path=out / "login-desk-en.png")
                    page.fill("#id_username", "anna")
                    page.fill("#id_password", password)
                    page.click("button[type=submit]")
                    shoot(page, base, out, size, language)
                    shoot_search(page, base, out, size, language)
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
