"""Screenshots of the agent's pages, at desk (1280×800) and phone (390×844) sizes, for the README.

    .venv/bin/python scripts/take-screenshots.py [OUT_DIR]     (default: docs/screenshots)

Starts `switchboard run --demo=en`, then `--demo=pl`, each on a throw-away data folder, and drives
Debian's Chromium: the English pages on the English demo, the Polish ones on the Polish demo with a
Polish browser (locale pl-PL). The demo's manager, Anna, signs in.
"""

from __future__ import annotations

import datetime as dt
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

from playwright.sync_api import Locator, Page, expect, sync_playwright

from switchboard.testing.browser import CHROMIUM_ARGS, CHROMIUM_PATH
from switchboard.testing.webhook_receiver import start_webhook_receiver

SIZES = {"desk": (1280, 800), "phone": (390, 844)}
PORT = int(os.environ.get("SCREENSHOT_PORT", "8765"))  # another port where several run at once
DATA_DIRS: dict[str, str] = {}  # each running demo's data folder, by its address


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 300  # the demo's data is made first: slow on a busy machine
    while time.monotonic() < deadline:
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
    category: str  # a category of the volunteers (ROUTE-06)
    category_contact: str  # an open ticket's contact in it, with a resolved one like it (AGENT-04)
    chat_visitor: str  # who asks in the live chat, what, and what Anna answers
    chat_question: str
    chat_answer: str
    chat_thanks: str
    kb_query: str  # typed into the help centre's search box


DEMOS = [
    Demo(
        "en", "en-GB", "volunteers", "donations", "Shah", "Garcia", "Zielińska", "Zielinski", "tour",
        "Friday, 10 May", "Asked twice about the van; please call her back today.", "Nobody's calls",
        "fundraising", "Harbor Bakery", "Hannah Cole", "Volunteering", "Claire Hughes", "Priya Natarajan",
        "Hi! Can I drop off winter coats this Saturday?", "Yes, Saturday 9 to 13 at the back door. Thank you!",
        "Great, see you then.", "pick-up lodz",
    ),
    Demo(
        "pl", "pl-PL", "wolontariusze", "darowizny", "Krawczyk", "Wójcik", "Zielińska", "Nowicka", "oprow",
        "piątek, 10 maja", "Dwa razy pytała o samochód; proszę oddzwonić dziś.", "Nieprzydzielone połączenia",
        "darczyncy", "Piekarnia Pod Lipą", "Hanna Kołodziej", "Wolontariat", "Klara Zając", "Magdalena Sikora",
        "Dzień dobry! Czy mogę przynieść zimowe kurtki w sobotę?",
        "Tak, w sobotę od 9 do 13, wejście od podwórza. Dziękujemy!",
        "Świetnie, do zobaczenia.", "godziny lodz",
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


def shoot_todos(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """Anna's to-dos on home (AGENT-02), one overdue and one tied to a ticket, and the to-do form
    the key t opens on a ticket's page."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/")
    page.locator("[data-todos-done] summary").click()  # the done ones unfolded
    page.locator("[data-my-todos]").screenshot(path=out / f"home-todos-{suffix}.png")
    open_row(page, base, demo.volunteers, demo.email_contact)
    page.keyboard.press("t")
    expect(page.locator("#todo")).to_have_class(re.compile(r"\bshow\b"))
    page.locator("#todo").scroll_into_view_if_needed()
    page.screenshot(path=out / f"ticket-todo-{suffix}.png")


def shoot_time(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """Time per ticket (AGENT-07) on anna's first ticket (tickets/demo_time.py, the one her to-do is
    about): the timer, started on opening, its form with the minutes, and Details' time spent."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/")
    href = page.locator("[data-my-todos] a[href^='/tickets/']").first.get_attribute("href")
    page = page.context.new_page()  # its own page: the clock it installs stays with it
    page.clock.install()
    page.goto(f"{base}{href}")
    page.wait_for_selector("[data-ticket-socket][data-opened]", state="attached")
    expect(page.locator("[data-ticket-timer]")).to_have_attribute("data-timer-state", "running")
    page.clock.run_for("07:42")  # seven minutes on the ticket
    page.screenshot(path=out / f"ticket-timer-{suffix}.png")
    page.locator("[data-ticket-timer] [data-time-toggle]").click()
    expect(page.locator("#time")).to_have_class(re.compile(r"\bshow\b"))
    if size == "phone":
        page.locator("details.ticket-details > summary").click()
    page.locator("[data-ticket-time]").scroll_into_view_if_needed()
    page.screenshot(path=out / f"ticket-time-{suffix}.png", full_page=True)
    page.close()


# The contact book's demo (tickets/demo_book.py): a word of a shared entry, typed without its accents,
# and a name the reply composer's Cc finds there.
BOOK_QUERY = {"en": "riverside", "pl": "zywnosci"}
BOOK_CC = {"en": "sarah", "pl": "zofia"}


def shoot_contact_book(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The agent's contact book (AGENT-03): the entries Anna sees, private and shared, one found by
    the search, a new entry refused with its errors beside the fields, and a book entry's address
    suggested in a reply's Cc."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/book/")
    page.screenshot(path=out / f"book-{suffix}.png", full_page=True)
    page.click("#book-search")
    page.keyboard.type(BOOK_QUERY[demo.language], delay=40)
    expect(page.locator("[data-book-entry]")).to_have_count(1)
    page.screenshot(path=out / f"book-search-{suffix}.png", full_page=True)
    page.click("[data-book-new]")
    page.fill("#id_organisation", "Depot")
    page.fill("#id_phones", "+48 601 234 567\n12")
    page.fill("#id_emails", "depot@")
    page.locator("[data-book-form] button[type=submit]").first.click()
    page.wait_for_selector("[data-book-form] [data-error]")
    page.screenshot(path=out / f"book-errors-{suffix}.png", full_page=True)
    open_row(page, base, demo.volunteers, demo.email_contact)
    page.keyboard.press("Alt+R")  # the reply composer
    page.locator("#reply [name=cc]").click()
    page.keyboard.type(BOOK_CC[demo.language], delay=40)
    page.locator("#reply-cc-book [data-search-result]").first.wait_for()
    page.locator("#reply [name=cc]").scroll_into_view_if_needed()
    page.screenshot(path=out / f"book-cc-{suffix}.png")


def shoot_clock(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The time clock (AGENT-05): the open shift menu with Anna clocked in, her own hours this week,
    and a team's hours of last week with a shift closed automatically."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/shift/hours/")
    page.screenshot(path=out / f"hours-mine-{suffix}.png", full_page=True)
    last_week = (dt.datetime.now(tz=dt.UTC).date() - dt.timedelta(days=7)).isocalendar()
    page.goto(f"{base}/shift/hours/{demo.donations}/?week={last_week[0]}-W{last_week[1]:02d}")
    page.screenshot(path=out / f"hours-team-{suffix}.png", full_page=True)
    page.click("[data-shift-menu] > button")
    expect(page.locator("[data-clock-out]")).to_be_visible()
    page.screenshot(path=out / f"shift-menu-{suffix}.png")
    page.keyboard.press("Escape")


def shoot_states(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """Phone states (PHONE-09): the navbar's shift menu open with Anna's switches (not ready once
    per reason), and the campaign's Team page with its members' states and the time in them."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/")
    page.locator("[data-shift-menu] > button").click()
    expect(page.locator("[data-phone-state-menu]")).to_be_visible()
    page.screenshot(path=out / f"shift-menu-states-{suffix}.png")
    page.keyboard.press("Escape")
    page.goto(f"{base}/groups/{demo.campaign}/team/")
    expect(page.locator("[data-state-since]").first).to_have_text(re.compile(r"\d:\d\d"))
    page.screenshot(path=out / f"team-states-{suffix}.png", full_page=True)


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
    open_row(page, base, demo.volunteers, demo.email_contact)
    ticket_url = page.url
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-close-menu] button").first.click()
    page.wait_for_load_state("networkidle")
    page.goto(ticket_url)
    page.wait_for_selector("[data-publish-to-kb]")
    page.goto(base + (page.get_attribute("[data-publish-to-kb]", "href") or ""))
    page.wait_for_selector("[data-personal-check]")
    page.screenshot(path=out / f"kb-from-ticket-{suffix}.png", full_page=True)
    page.goto(ticket_url)  # open again, as the next size's pages expect it
    page.get_by_role("button", name=re.compile("Reopen|Otwórz ponownie")).click()
    page.wait_for_load_state("networkidle")


def shoot_categories(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The volunteers' categories page (ROUTE-06), their open tickets filtered by a category, a
    ticket's category in its header and its Similar tab with a resolved ticket's answer (AGENT-04)."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/groups/{demo.volunteers}/categories/")
    page.screenshot(path=out / f"categories-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/{demo.volunteers}/")
    page.select_option("[data-category-filter] select", label=demo.category)
    page.click("[data-category-filter] button")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out / f"open-tickets-category-{suffix}.png", full_page=True)
    open_row(page, base, demo.volunteers, demo.category_contact)
    page.click("#similar-tab")
    page.wait_for_selector("#similar-pane [data-similar-loaded]")
    page.screenshot(path=out / f"ticket-similar-{suffix}.png", full_page=True)


def shoot_members(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The volunteers' members page (CORE-01, ADMIN-01): roles and what they mean, levels, add a person."""
    page.goto(f"{base}/groups/{demo.volunteers}/members/")
    page.screenshot(path=out / f"members-{size}-{demo.language}.png", full_page=True)


WEB_FORM_SENDER = {"en": "Olivia Brown", "pl": "Aleksandra Wróbel"}  # switchboard/web/demo.py


def shoot_web_form(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The group's web form (SELF-01): its snippet in the group's settings, a made-up
    organisation's page with the form embedded, the form's errors and its thanks, and the
    message on the ticket's timeline with the sender's browser."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/groups/{demo.volunteers}/settings/")
    page.locator("[data-embed-section]").scroll_into_view_if_needed()
    page.screenshot(path=out / f"web-form-snippet-{suffix}.png", full_page=True)
    page.goto(f"{base}/f/{demo.volunteers}/example/")
    page.wait_for_function(
        "() => (document.querySelector('iframe[data-switchboard-form]') || {}).offsetHeight > 0"
        " && document.querySelector('iframe[data-switchboard-form]').style.height !== '640px'"
    )
    page.screenshot(path=out / f"web-form-embedded-{suffix}.png", full_page=True)
    page.goto(f"{base}/f/{demo.volunteers}/")
    page.click("[data-send]")
    page.wait_for_selector("[data-form-errors]")
    page.screenshot(path=out / f"web-form-errors-{suffix}.png", full_page=True)
    page.fill("#id_name", "Sam Taylor")
    page.fill("#id_email", "visitor@example.org")
    page.select_option("#id_category", index=1)
    page.fill("#id_message", "Hello!")
    page.click("[data-send]")
    page.wait_for_selector("[data-thanks]")
    page.screenshot(path=out / f"web-form-thanks-{suffix}.png", full_page=True)
    open_row(page, base, demo.volunteers, WEB_FORM_SENDER[demo.language])
    page.screenshot(path=out / f"ticket-web-form-{suffix}.png", full_page=True)


def portal_sign_in_link(base: str, last_name: str) -> str:
    """A sign-in link of the customer portal for the demo's contact of that name, made directly
    in the demo's database (as if it had been emailed)."""
    code = (
        "from switchboard.contacts.models import ContactPoint\n"
        "from switchboard.portal.actions import do_create_sign_in_link\n"
        f"print(do_create_sign_in_link(ContactPoint.objects.filter(kind='email', contact__last_name={last_name!r})"
        ".first()))"
    )
    command = [str(Path(sys.executable).parent / "switchboard"), "manage", "shell", "-c", code]
    env = {**os.environ, "SWITCHBOARD_DATA_DIR": DATA_DIRS[base], "SITE_URL": base}
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return output.strip().splitlines()[-1]


def shoot_portal(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The customer portal (SELF-03) in a browser of its own: the sign-in, the contact's
    tickets, one ticket with the answer form, and a new ticket."""
    suffix = f"{size}-{demo.language}"
    portal = page.context.browser.new_context(viewport=page.viewport_size, locale=demo.locale)  # type: ignore[union-attr]
    visitor = portal.new_page()
    visitor.goto(f"{base}/portal/sign-in/")
    visitor.screenshot(path=out / f"portal-sign-in-{suffix}.png", full_page=True)
    visitor.fill("input[name=email]", "someone@example.org")
    visitor.click("button[type=submit]")
    visitor.wait_for_selector("[data-sign-in-sent]")
    visitor.screenshot(path=out / f"portal-sign-in-sent-{suffix}.png", full_page=True)
    visitor.goto(portal_sign_in_link(base, demo.email_contact))
    visitor.click("[data-use-link]")
    visitor.wait_for_selector("[data-portal-tickets]")
    visitor.screenshot(path=out / f"portal-tickets-{suffix}.png", full_page=True)
    visitor.locator("[data-portal-tickets] a").last.click()  # the resolved one, answered
    visitor.wait_for_selector("[data-answer-form]")
    visitor.screenshot(path=out / f"portal-ticket-{suffix}.png", full_page=True)
    visitor.click("[data-new-ticket]")
    visitor.wait_for_selector("[data-new-ticket-form]")
    visitor.screenshot(path=out / f"portal-new-ticket-{suffix}.png", full_page=True)
    portal.close()


# The solutions library (AGENT-04): a word of a Volunteers solution, typed without its accents,
# and what fills its blank.
SOLUTION_SEARCH = {"en": ("shift", "Saturday, 11 May"), "pl": ("dyzur", "sobota, 11 maja")}


def shoot_solutions(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The solutions library in the reply composer, a reply with files in the Email view and on
    the timeline, and the draft solution saved from it."""
    suffix = f"{size}-{demo.language}"
    search, blank = SOLUTION_SEARCH[demo.language]
    open_row(page, base, demo.volunteers, demo.email_contact)
    page.keyboard.press("Alt+R")
    page.click("[data-solutions-toggle]")
    page.keyboard.type(search)
    page.locator("[data-solution-list] .active").wait_for()
    page.screenshot(path=out / f"solutions-library-{suffix}.png", full_page=True)
    page.keyboard.press("Enter")
    page.keyboard.type(blank)
    files = Path(tempfile.mkdtemp(prefix="switchboard-shots-files-"))
    (files / "rota.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (files / "map.txt").write_text("Elm Street 12, back entrance\n")
    page.set_input_files("[data-reply-files]", [str(files / "rota.pdf"), str(files / "map.txt")])
    page.keyboard.press("Control+Shift+E")
    page.locator("[data-email-files]").wait_for()
    page.screenshot(path=out / f"reply-files-{suffix}.png", full_page=True)
    page.keyboard.press("Control+Shift+E")
    page.keyboard.press("Control+Shift+Enter")  # Send, and stay
    page.locator("[data-sent]").wait_for()
    entry = page.locator(".timeline-entry.kind-email_out", has=page.locator("[data-file]")).first
    entry.scroll_into_view_if_needed()
    page.screenshot(path=out / f"reply-sent-files-{suffix}.png", full_page=True)
    entry.locator("[data-save-solution] button").click()
    page.wait_for_selector("[data-solution-form]")
    page.screenshot(path=out / f"solution-draft-{suffix}.png", full_page=True)


def shoot_chat(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The live chat (SELF-04): a visitor on the example website page opens the widget and asks;
    Anna sees the waiting chat in the menu, accepts it in the chats panel and answers; then the
    ticket's timeline with the chat's lines."""
    suffix = f"{size}-{demo.language}"
    assert page.context.browser is not None
    viewport = page.viewport_size or {"width": 1280, "height": 800}
    visitor_context = page.context.browser.new_context(viewport=viewport, locale=demo.locale)
    visitor = visitor_context.new_page()
    visitor.goto(f"{base}/chat/{demo.volunteers}/example/")
    visitor.click("[data-switchboard-chat-button]")
    chat = visitor.frame_locator("[data-switchboard-chat-frame]")
    chat.locator("#chat-name").fill(demo.chat_visitor)
    visitor.screenshot(path=out / f"chat-widget-{suffix}.png")
    chat.locator("#chat-email").fill("visitor@example.org")
    chat.locator("#chat-question").fill(demo.chat_question)
    chat.locator("[data-start] button[type=submit]").click()
    expect(chat.locator(".chat-line")).to_have_count(1)
    page.goto(f"{base}/")
    expect(page.locator("[data-chat-badge]")).to_be_visible()
    page.click("[data-chat-toggle]")
    page.locator("[data-waiting-chat]", has_text=demo.chat_visitor).locator("[data-accept]").click()
    expect(page.locator("[data-chat-view]")).to_be_visible()
    page.fill("[data-chat-input]", demo.chat_answer)
    page.locator("[data-chat-composer] button[type=submit]").click()
    expect(chat.locator(".chat-line.theirs")).to_have_count(1)
    chat.locator("#chat-message").fill(demo.chat_thanks)
    page.screenshot(path=out / f"chat-panel-{suffix}.png")
    visitor.screenshot(path=out / f"chat-visitor-{suffix}.png")
    chat.locator("[data-composer] button[type=submit]").click()
    chat.locator("[data-end]").click()
    expect(chat.locator("[data-transcript]")).to_be_visible()
    visitor.screenshot(path=out / f"chat-ended-{suffix}.png")
    visitor_context.close()
    page.locator("[data-chat-ticket]").click()
    page.wait_for_selector("[data-ticket-socket][data-opened]", state="attached")
    page.locator("#chat-panel .btn-close").click()
    expect(page.locator("#chat-panel")).to_be_hidden()
    page.screenshot(path=out / f"chat-ticket-{suffix}.png", full_page=True)


# The demo's parent incident (tickets/demo_links.py), by the start of its title.
PARENT_INCIDENT = {"en": "Warehouse without power", "pl": "Magazyn bez prądu"}


def shoot_linked(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """Linked tickets (CORE-17): the parent incident with its three children and a related
    ticket, its update form and the close confirmation's count; a child's page; the list's bulk
    bar linking to a parent incident."""
    suffix = f"{size}-{demo.language}"

    def unfold_details() -> None:  # on a phone the ticket's side, its links too, is folded under Details
        if size == "phone":
            page.locator("details.ticket-details > summary").click()

    open_row(page, base, demo.volunteers, PARENT_INCIDENT[demo.language])
    unfold_details()
    links = page.locator("[data-links]")
    links.scroll_into_view_if_needed()
    page.screenshot(path=out / f"linked-parent-{suffix}.png", full_page=True)
    links.locator("[aria-controls=incident-update]").click()
    page.fill("#incident-update-body", LINKED_UPDATE[demo.language])
    links.screenshot(path=out / f"linked-update-{suffix}.png")
    page.locator("[data-child-tickets] a").first.click()
    page.wait_for_load_state("networkidle")
    unfold_details()
    page.locator("[data-links]").scroll_into_view_if_needed()
    page.screenshot(path=out / f"linked-child-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/{demo.volunteers}/")
    page.locator("input[name=tickets][form=bulk]").first.check()
    page.select_option("#bulk select[name=action]", "parent")
    page.fill("#bulk input[name=parent]", "1")
    page.screenshot(path=out / f"linked-bulk-{suffix}.png")


LINKED_UPDATE = {
    "en": "The power is back and the warehouse opens again on Monday. Saturday's shift moves to next Saturday.",
    "pl": "Prąd wrócił, magazyn jest znów otwarty od poniedziałku. Sobotnia zmiana przechodzi na następną sobotę.",
}


# The outage Anna opens (ADMIN-05): in an area of the demo (shift/demo_outages.py), with its banner.
OUTAGE = {
    "en": (
        "Bristol",
        "Node BR-12 down: no internet or phone in Clifton and Redland.",
        "Outage in Bristol: no internet or phone in Clifton and Redland",
        "Apologise and give the estimate: fixed by 6 p.m.\nBook no technician visits in Bristol today.\n"
        "Link each caller's ticket to the parent incident.",
        "Bradley (duty engineer)",
        "+44 117 555 0142",
    ),
    "pl": (
        "Warszawa",
        "Węzeł WA-12 nie działa: brak internetu i telefonu na Mokotowie i Ursynowie.",
        "Awaria w Warszawie: brak internetu i telefonu na Mokotowie i Ursynowie",
        "Przeproś i podaj termin: naprawa do 18:00.\nNie umawiaj dziś wizyt technika w Warszawie.\n"
        "Połącz sprawę każdego dzwoniącego z incydentem nadrzędnym.",
        "Bartłomiej (dyżurny technik)",
        "+48 22 555 01 42",
    ),
}


def shoot_outages(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """Outages and their banner (ADMIN-05): Anna opens an outage with its banner in one step, the
    outages page (the open one, the demo's past one), the banner on home with its procedure
    unfolded, the banners' history; then the outage ends and its banner goes."""
    suffix = f"{size}-{demo.language}"
    area, description, text, procedure, name, phone = OUTAGE[demo.language]
    page.goto(f"{base}/shift/outages/new/")
    page.select_option("#id_area", label=area)
    page.fill("#id_description", description)
    page.fill("#id_text", text)
    page.fill("#id_procedure", procedure)
    page.fill("#id_contact_name", name)
    page.fill("#id_contact_phone", phone)
    page.locator("input[name=groups]").first.check()
    page.screenshot(path=out / f"outage-new-{suffix}.png", full_page=True)
    page.click("[data-open-outage]")
    page.locator("[data-open-outages]").wait_for()
    page.screenshot(path=out / f"outages-{suffix}.png", full_page=True)
    page.goto(f"{base}/")
    page.locator("[data-broadcasts] [data-broadcast]").first.wait_for()
    page.screenshot(path=out / f"banner-{suffix}.png")
    page.locator("[data-broadcasts] summary").first.click()
    page.screenshot(path=out / f"banner-procedure-{suffix}.png")
    page.goto(f"{base}/shift/banners/")
    page.screenshot(path=out / f"banners-{suffix}.png", full_page=True)
    page.goto(f"{base}/shift/outages/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-end-outage]")
    page.locator("[data-no-outage]").wait_for()


def file_queue_report(dialog: Locator) -> None:
    """Nobody waiting, no outage: the report that fell due on the signed-in agent's page."""
    dialog.locator("#qr-calls").fill("0")
    dialog.locator("#qr-minutes").fill("0")
    dialog.locator("#qr-outage-no").check()
    dialog.locator("[type=submit]").click()
    expect(dialog).to_be_hidden()


# The demo's agent on the phone line's shift (shift/demo_queue_reports.py), whose queue report is due.
ON_SHIFT = {"en": "geoff", "pl": "grzegorz"}


def shoot_queue_reports(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The queue report (PHONE-08): Anna's day of reports (a missed one in red, an outage by area)
    and the group's latest figures; the dialog on Geoff's page, once with the server's errors."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/shift/groups/{demo.volunteers}/queue-reports/")
    page.screenshot(path=out / f"queue-reports-{suffix}.png", full_page=True)
    page.goto(f"{base}/groups/{demo.volunteers}/")
    page.locator("h1").locator("..").screenshot(path=out / f"queue-figures-{suffix}.png")
    viewport = page.viewport_size or {"width": 1280, "height": 800}
    context = page.context.browser.new_context(viewport=viewport, locale=demo.locale)  # type: ignore[union-attr]
    agent = context.new_page()
    agent.goto(f"{base}/login/")
    agent.fill("#id_username", ON_SHIFT[demo.language])
    agent.fill("#id_password", (Path(DATA_DIRS[base]) / "demo-password").read_text().strip())
    agent.click("button[type=submit]")
    dialog = agent.locator("#queue-report")
    expect(dialog).to_be_visible()
    agent.wait_for_timeout(400)  # the fade-in
    agent.screenshot(path=out / f"queue-report-dialog-{suffix}.png")
    dialog.locator("#qr-calls").fill("3")
    dialog.locator("#qr-outage-yes").check()
    dialog.locator("[type=submit]").click()
    expect(dialog.locator(".invalid-feedback").first).to_be_visible()
    agent.screenshot(path=out / f"queue-report-errors-{suffix}.png")
    context.close()


def shoot_service_levels(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """Service levels (ROUTE-07): a list sorted by what is due, with a ticket past its target and
    one near it, and the group's managers' page of targets and working hours."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/groups/{demo.volunteers}/?sort=sla")
    expect(page.locator("[data-sla=breached]").first).to_be_visible()  # "near" only in the group's working hours
    page.screenshot(path=out / f"service-level-list-{suffix}.png")
    page.goto(f"{base}/groups/{demo.donations}/service-levels/")
    page.screenshot(path=out / f"service-levels-{suffix}.png", full_page=True)


def administrator(page: Page, base: str, demo: Demo) -> Page:
    """A page of the demo's administrator, signed in beside Anna at the same size (context.close() when done)."""
    viewport = page.viewport_size or {"width": 1280, "height": 800}
    context = page.context.browser.new_context(viewport=viewport, locale=demo.locale)  # type: ignore[union-attr]
    admin = context.new_page()
    admin.goto(f"{base}/login/")
    admin.fill("#id_username", "admin")
    admin.fill("#id_password", (Path(DATA_DIRS[base]) / "demo-password").read_text().strip())
    admin.click("button[type=submit]")
    return admin


def shoot_audit(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """The audit log (ADMIN-03), as the administrator: the morning's sign-ins (one failed), Anna's
    changes to her group, a status and a canned response, old → new, and a blocked sender."""
    suffix = f"{size}-{demo.language}"
    admin = administrator(page, base, demo)
    admin.goto(f"{base}/audit/")
    expect(admin.locator("[data-audit-entry]").first).to_be_visible()
    admin.screenshot(path=out / f"audit-log-{suffix}.png", full_page=True)
    admin.locator("[data-user-menu]").click()
    expect(admin.locator("[data-audit-log-link]")).to_be_visible()
    admin.screenshot(path=out / f"audit-log-menu-{suffix}.png")
    admin.context.close()


def shoot_reports(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """Reports (ADMIN-02) as anna, a manager: three weeks of volume, the backlog, response times
    and per-agent figures, with their charts; opened from the Team page."""
    suffix = f"{size}-{demo.language}"
    page.goto(f"{base}/groups/{demo.donations}/team/")
    page.click("[data-team-reports]")
    expect(page.locator('canvas[data-report-chart="volume"]')).to_be_visible()
    page.wait_for_timeout(300)  # Chart.js draws on the next frame
    page.screenshot(path=out / f"reports-{suffix}.png", full_page=True)


def shoot_api_tokens(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """API-01: the settings page's API tokens, a token just made (shown once), the API's docs."""

    def snap(name: str, *, full_page: bool = True) -> None:
        page.screenshot(path=out / f"{name}-{size}-{demo.language}.png", full_page=full_page)

    page.goto(f"{base}/settings/")
    form = page.locator("form[action$='/settings/api-tokens/new/']")
    form.locator("[name=name]").fill("CRM")
    form.locator("[name=scope]").select_option("write")
    form.locator("button").click()
    page.locator("[data-api-token]").wait_for()
    snap("api-token-created")
    page.goto(f"{base}/settings/")
    page.locator("#api-tokens-title").scroll_into_view_if_needed()
    snap("api-tokens")
    page.goto(f"{base}/api/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    snap("api-docs", full_page=False)


# Two receivers of the webhooks' screenshots, by language: one takes the events, one is down.
WEBHOOK_RECEIVERS = {
    "en": ("Donor CRM", "Website (volunteer portal)"),
    "pl": ("CRM darczyńców", "Strona WWW (portal wolontariuszy)"),
}


def shoot_webhooks(page: Page, base: str, out: Path, size: str, demo: Demo) -> None:
    """API-02 as the administrator: two endpoints (a CRM that takes the events, a website that is
    down), the list, and each one's page with its delivery log after a test event."""
    suffix = f"{size}-{demo.language}"
    admin = administrator(page, base, demo)
    crm, website = start_webhook_receiver(), start_webhook_receiver()
    website.always = 503
    try:
        pages = []
        crm_name, website_name = WEBHOOK_RECEIVERS[demo.language]
        for receiver, description, events in [
            (crm, crm_name, ["ticket.created", "ticket.closed", "contact.created"]),
            (website, website_name, ["ticket.status_changed"]),
        ]:
            admin.goto(f"{base}/webhooks/new/")
            admin.fill("[name=url]", receiver.url)
            admin.fill("[name=description]", description)
            for event in events:
                admin.check(f"[name=events][value='{event}']")
            admin.check("[name=allow_private_address]")  # the receiver runs on this machine
            if receiver is crm:
                admin.screenshot(path=out / f"webhook-new-{suffix}.png", full_page=True)
            admin.locator("[data-endpoint-form] button.btn-primary").click()
            admin.locator("[data-secret]").wait_for()
            if receiver is crm:
                admin.screenshot(path=out / f"webhook-secret-{suffix}.png", full_page=True)
            admin.click("a.btn-primary")  # I have copied it
            admin.click("[data-send-test]")
            pages.append(admin.url.split("?")[0])
        for url in pages:  # the test events have been tried (the demo's job threads send them)
            for _ in range(40):
                admin.goto(url)
                if admin.locator("[data-delivery] [title]").count():  # its response code
                    break
                admin.wait_for_timeout(250)
        admin.goto(f"{base}/webhooks/")
        snap_checked(admin, out / f"webhooks-{suffix}.png")
        for url, name in zip(pages, ["webhook-log", "webhook-failing"], strict=True):
            admin.goto(url)
            snap_checked(admin, out / f"{name}-{suffix}.png")
    finally:
        for receiver in (crm, website):
            receiver.server.shutdown()
    admin.context.close()


def snap_checked(page: Page, path: Path) -> None:
    """A whole page's screenshot, saying so when the page scrolls sideways."""
    page.screenshot(path=path, full_page=True)
    wider = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if wider > 0:
        print(f"{path.name}: {wider} px wider than the screen")


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
                    # Anna is clocked in for some pages: a queue report that falls due while the
                    # script runs (every half hour) opens its dialog over her page. File it.
                    page.add_locator_handler(page.locator("#queue-report.show"), file_queue_report)
                    page.goto(f"{base}/login/")
                    page.screenshot(path=out / f"login-{size}-{demo.language}.png")
                    page.fill("#id_username", "anna")
                    page.fill("#id_password", password)
                    page.click("button[type=submit]")
                    shoot(page, base, out, size, demo)
                    shoot_search(page, base, out, size, demo)
                    shoot_contact(page, base, out, size, demo)
                    shoot_contact_center(page, base, out, size, demo)
                    shoot_categories(page, base, out, size, demo)
                    shoot_members(page, base, out, size, demo)
                    shoot_web_form(page, base, out, size, demo)
                    shoot_portal(page, base, out, size, demo)
                    shoot_solutions(page, base, out, size, demo)
                    shoot_chat(page, base, out, size, demo)
                    shoot_todos(page, base, out, size, demo)
                    shoot_contact_book(page, base, out, size, demo)
                    shoot_linked(page, base, out, size, demo)
                    shoot_outages(page, base, out, size, demo)
                    shoot_clock(page, base, out, size, demo)
                    shoot_states(page, base, out, size, demo)
                    shoot_queue_reports(page, base, out, size, demo)
                    shoot_time(page, base, out, size, demo)
                    shoot_service_levels(page, base, out, size, demo)
                    shoot_audit(page, base, out, size, demo)
                    shoot_reports(page, base, out, size, demo)
                    shoot_knowledge(page, base, out, size, demo)
                    shoot_api_tokens(page, base, out, size, demo)
                    shoot_webhooks(page, base, out, size, demo)
                    context.close()
        browser.close()
    print(f"screenshots in {out}")


@contextmanager
def demo_server(language: str) -> Iterator[tuple[str, str]]:
    """`switchboard run --demo=<language>` on a throw-away data folder: its address and the
    demo's password."""
    data = tempfile.mkdtemp(prefix="switchboard-shots-")
    env = {**os.environ, "SWITCHBOARD_DATA_DIR": data, "PORT": str(PORT), "SITE_URL": f"http://127.0.0.1:{PORT}"}
    env["WEB_FORM_MIN_SECONDS"] = "0"  # the script fills in the web form at machine speed
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "switchboard"), "run", f"--demo={language}"],
        env=env,  # noqa: S603
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    DATA_DIRS[base] = data
    try:
        wait_for(f"{base}/healthz")
        yield base, (Path(data) / "demo-password").read_text().strip()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
