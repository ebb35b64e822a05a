"""Screenshots of the agent's pages, at desk (1280×800) and phone (390×844) sizes, for the README.

    .venv/bin/python scripts/take-screenshots.py [OUT_DIR]     (default: docs/screenshots)

Starts `switchboard run --demo=en`, then `--demo=pl`, each on a throw-away data folder, and drives
Debian's Chromium: the English pages on the English demo, the Polish ones on the Polish demo with a
Polish browser (locale pl-PL). The demo's manager, Anna, signs in.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from switchboard.testing.browser import CHROMIUM_ARGS, CHROMIUM_PATH

SIZES = {"desk": (1280, 800), "phone": (390, 844)}
PORT = int(os.environ.get("SCREENSHOT_PORT", "8765"))  # another port where several run at once


def wait_for(url: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"{url} did not answer")


@dataclass(frozen=True)
class Demo:
    """What the pages are shot on, in one language's demo data."""

    language: str
    locale: str  # the browser's
    volunteers: str  # group slugs
    donations: str
    email_contact: str  # a contact's name on a list row: a ticket opened by email
    voicemail_contact: str
    photo_contact: str
    sms_contact: str
    canned: str  # part of a canned response's name, typed after "::"
    blank: str  # what fills its blank
    note: str
    view_name: str
    campaign: str  # the contact center's campaign (seed 001): its slug
    lead: str  # a campaign ticket's contact with the form filled in and a callback of Anna's
    new_lead: str  # one nobody has called yet
    kb_query: str  # typed into the help centre's search box


DEMOS = [
    Demo(
        "en", "en-GB", "volunteers", "donations", "Shah", "Garcia", "Zielińska", "Zielinski", "tour",
        "Friday, 10 May", "Asked twice about the van; please call her back today.", "Nobody's calls",
        "fundraising", "Harbor Bakery", "Hannah Cole", "pick-up lodz",
    ),
    Demo(
        "pl", "pl-PL", "wolontariusze", "darowizny", "Krawczyk", "Wójcik", "Zielińska", "Nowicka", "oprow",
        "piątek, 10 maja", "Dwa razy pytała o samochód; proszę oddzwonić dziś.", "Nieprzydzielone połączenia",
        "darczyncy", "Piekarnia Pod Lipą", "Hanna Kołodziej", "godziny lodz",
    ),
]  # fmt: skip


def open_row(page: Page, base: str, slug: str, name: str) -> None:
    """Open the ticket of the list row with ``name`` (opening may take it and reload the page)."""
    page.goto(f"{base}/groups/{slug}/")
    page.locator("tbody tr[data-href]", has_text=name).first.click()
    page.wait_for_load_state("networkidle")


def shoot(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:  # noqa: PLR0915 - one page after another
    def snap(name: str, *, full_page: bool = True) -> None:
        page.screenshot(path=out / f"{name}-{size}-{demo.language}.png", full_page=full_page)

    page.goto(f"{base}/")
    snap("home")
    page.goto(f"{base}/groups/{demo.volunteers}/")
    snap("open-tickets")
    page.goto(f"{base}/groups/{demo.volunteers}/closed/")
    snap("closed-tickets")
    page.goto(f"{base}/groups/{demo.volunteers}/new/")
    snap("new-ticket")
    open_row(page, base, demo.volunteers, demo.email_contact)
    snap("ticket")
    page.click("[aria-controls=escalate]")
    page.wait_for_selector("#escalate.collapse.show")
    page.fill("#escalate textarea", demo.note)
    snap("escalate")
    page.reload()
    page.keyboard.press("Alt+R")  # the composer, the caret in the editor
    page.keyboard.type(f"::{demo.canned}")  # the canned responses' picker
    page.locator("[data-canned-picker] .active").wait_for()
    snap("reply")
    page.keyboard.press("Enter")
    page.keyboard.type(demo.blank)
    page.keyboard.press("Control+Shift+E")  # the Email view
    page.frame_locator("#email-view iframe").locator("body").wait_for()
    snap("email-view")
    page.keyboard.press("Control+Shift+E")
    page.evaluate("document.activeElement.blur()")  # out of the editor: letters are keys again
    page.keyboard.press("?")
    expect(page.locator("#keys")).to_have_css("opacity", "1")  # the opening animation has ended
    snap("keys", full_page=False)
    page.goto(f"{base}/groups/{demo.volunteers}/canned/")
    snap("canned-responses")
    page.goto(f"{base}/groups/{demo.volunteers}/templates/")
    page.frame_locator("#template-preview iframe").locator("p").first.wait_for()
    page.locator("#template-preview").scroll_into_view_if_needed()  # an iframe is painted once seen
    snap("message-templates")
    page.goto(f"{base}/groups/{demo.volunteers}/templates/resolution/")
    page.frame_locator("#template-preview iframe").locator("p").first.wait_for()
    page.locator("#template-preview").scroll_into_view_if_needed()
    snap("email-templates")
    link = re.search(r"http://\S+/t/\S+/", page.locator("#template-preview pre").text_content() or "")
    assert link, "the resolution notice's preview has the link to the conversation"
    page.goto(link.group(0))  # the contact's link to the conversation of the group's latest ticket
    snap("conversation-link")
    page.goto(f"{base}/groups/{demo.volunteers}/team/")
    snap("team")
    page.goto(f"{base}/groups/{demo.volunteers}/settings/")
    snap("group-settings")
    page.goto(f"{base}/settings/")
    snap("agent-settings")
    page.goto(f"{base}/views/open/?owner=none&source=phone")
    page.fill("#view-name", demo.view_name)
    page.click("[data-save-view] button")
    page.goto(f"{base}/views/needs-reply/")
    snap("views")
    page.click("[data-views-menu]")
    page.locator(".views-menu [data-view]").first.wait_for()
    snap("views-menu", full_page=False)
    open_row(page, base, demo.donations, demo.photo_contact)
    page.locator(".photo-thumb img").first.hover()  # magnified beside the timeline, with its details
    page.locator("[data-photo-zoom] img").first.wait_for()
    snap("ticket-photo")
    open_row(page, base, demo.volunteers, demo.voicemail_contact)
    page.locator("audio").first.wait_for()
    snap("ticket-voicemail")
    open_row(page, base, demo.donations, demo.sms_contact)
    page.click("[aria-controls=composer]")
    page.wait_for_selector("#composer.collapse.show")
    page.click("#reply-sms-tab")
    page.select_option("#id_sms_canned", index=1)
    snap("ticket-sms")


def shoot_search(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The navbar's global search: its suggestions as one types a caller's name (the first
    chosen), and its results page."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/")
    if size == "phone":
        page.click("[data-search-toggle]")
    else:
        page.keyboard.press("/")
    page.keyboard.type(demo.voicemail_contact[:4].lower())
    page.locator("#global-search-results [data-number]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.screenshot(path=out / f"search-{suffix}.png")
    page.keyboard.press("Escape")
    page.goto(f"{base}/search/?q={demo.voicemail_contact}")
    page.screenshot(path=out / f"search-results-{suffix}.png", full_page=True)


def shoot_contact(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The contacts list (CC-01) with its suggestions as one types, and the matches selected for
    an outbound campaign (CC-06); the contact's page, opened from a ticket's header, its edit
    page and its export."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/contacts/")
    page.click("#contact-search")
    page.keyboard.type(demo.email_contact[:4].lower())
    page.locator("#contact-search-results [data-search-result]").first.wait_for()
    page.screenshot(path=out / f"contacts-suggest-{suffix}.png")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-select-all-contacts]")
    page.check("[data-select-all-contacts]")
    page.screenshot(path=out / f"contacts-{suffix}.png", full_page=True)
    open_row(page, base, demo.volunteers, demo.email_contact)
    page.click("[data-header-contact]")
    page.wait_for_selector("[data-contact]")
    page.locator("[data-consent] details summary").last.click()  # a consent's history: given, then withdrawn
    page.screenshot(path=out / f"contact-{suffix}.png", full_page=True)
    page.click("a[href$='/edit/']")
    page.wait_for_selector("[data-contact-form]")
    page.screenshot(path=out / f"contact-edit-{suffix}.png", full_page=True)
    page.go_back()
    page.click("a[href$='/export/']")  # everything held about the contact (GDPR right of access)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out / f"contact-export-{suffix}.png", full_page=True)


def shoot_contact_center(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """Seed 001's contact center on the demo's campaign: a ticket's Form tab and its callback
    form, the call list, the closed list's outcomes, the manager's statuses and form pages,
    and the agent's own activities."""
    suffix = f"{size}-{demo.language}"
    open_row(page, base, demo.campaign, demo.lead)
    page.click("#form-tab")
    page.wait_for_selector("#form-pane.show")
    page.screenshot(path=out / f"ticket-form-{suffix}.png", full_page=True)
    open_row(page, base, demo.campaign, demo.new_lead)
    page.click("[aria-controls=callback]")
    page.wait_for_selector("#callback.collapse.show")
    page.screenshot(path=out / f"ticket-callback-{suffix}.png", full_page=True)
    for name, path in [
        ("call-list", "calls/"),
        ("campaign-closed", "closed/"),
        ("statuses", "statuses/"),
        ("group-form", "form/"),
    ]:
        page.goto(f"{base}/groups/{demo.campaign}/{path}")
        page.screenshot(path=out / f"{name}-{suffix}.png", full_page=True)
    page.goto(f"{base}/activities/")
    page.screenshot(path=out / f"my-activities-{suffix}.png", full_page=True)


def shoot_knowledge(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The help centre (SELF-02) as a visitor sees it: its topics, the articles it suggests as one
    types, a topic and an article. Then the agents' side: the list of articles, and an article
    made from a resolved ticket, with its check of personal data."""
    suffix = f"{size}-{demo.language}"
    visitor = page.context.browser.new_context(viewport=page.viewport_size, locale=demo.locale)  # type: ignore[union-attr]
    public = visitor.new_page()
    public.goto(f"{base}/kb/")
    public.screenshot(path=out / f"kb-home-{suffix}.png", full_page=True)
    public.click("#kb-q")
    public.keyboard.type(demo.kb_query, delay=40)
    public.locator("[data-kb-suggestion]").first.wait_for()
    public.screenshot(path=out / f"kb-suggest-{suffix}.png")
    public.locator("[data-kb-suggestion]").first.click()
    public.wait_for_selector("article")
    public.screenshot(path=out / f"kb-article-{suffix}.png", full_page=True)
    public.locator(".breadcrumb-item a").nth(1).click()
    public.wait_for_load_state("networkidle")
    public.screenshot(path=out / f"kb-category-{suffix}.png", full_page=True)
    visitor.close()
    page.goto(f"{base}/kb/manage/")
    page.screenshot(path=out / f"kb-articles-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/{demo.volunteers}/")
    if page.locator("tbody tr[data-href]", has_text=demo.email_contact).count():  # the first size's turn closes it
        open_row(page, base, demo.volunteers, demo.email_contact)
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator("[data-close-menu] button").first.click()
        page.wait_for_load_state("networkidle")
    page.goto(f"{base}/groups/{demo.volunteers}/closed/")
    page.locator("tbody tr[data-href]", has_text=demo.email_contact).first.click()
    page.wait_for_selector("[data-publish-to-kb]")
    page.goto(base + (page.get_attribute("[data-publish-to-kb]", "href") or ""))
    page.wait_for_selector("[data-personal-check]")
    page.screenshot(path=out / f"kb-from-ticket-{suffix}.png", full_page=True)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        for demo in DEMOS:
            with demo_server(demo.language) as (base, password):
                for size, (width, height) in SIZES.items():
                    context = browser.new_context(viewport={"width": width, "height": height}, locale=demo.locale)
                    page = context.new_page()
                    page.goto(f"{base}/login/")
                    page.screenshot(path=out / f"login-{size}-{demo.language}.png")
                    page.fill("#id_username", "anna")
                    page.fill("#id_password", password)
                    page.click("button[type=submit]")
                    shoot(page, base, out, size, demo)
                    shoot_search(page, base, out, size, demo)
                    shoot_contact(page, base, out, size, demo)
                    shoot_contact_center(page, base, out, size, demo)
                    shoot_knowledge(page, base, out, size, demo)
                    context.close()
        browser.close()
    print(f"screenshots in {out}")


@contextmanager
def demo_server(language: str) -> Iterator[tuple[str, str]]:
    """`switchboard run --demo=<language>` on a throw-away data folder: its address and the
    demo's password."""
    data = tempfile.mkdtemp(prefix="switchboard-shots-")
    env = {**os.environ, "SWITCHBOARD_DATA_DIR": data, "PORT": str(PORT), "SITE_URL": f"http://127.0.0.1:{PORT}"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "switchboard"), "run", f"--demo={language}"],
        env=env,  # noqa: S603
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        wait_for(f"{base}/healthz")
        yield base, (Path(data) / "demo-password").read_text().strip()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
