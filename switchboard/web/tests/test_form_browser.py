"""The web form embedded in another website, in a real browser (SELF-01): the page is served
from another origin (another host name and port) and shows the form in a frame that grows with
it; the visitor sends a message with a file, is thanked, and gets the acknowledgement."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from switchboard.testing.processes import free_port
from switchboard.tickets.models import ActivityKind, Category, Group, Membership, Ticket, TicketSource
from switchboard.tickets.tests.factories import make_agent
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def other_site(tmp_path: Path, web: str, volunteers: Group) -> Iterator[str]:
    """An organisation's own website on another origin: localhost, not 127.0.0.1, on its own port."""
    (tmp_path / "contact.html").write_text(
        "<!doctype html><html lang='en'><head><title>Contact the pantry</title></head><body>"
        "<h1>Contact the pantry</h1><p>Write to us below.</p>"
        f'<script src="{web}/f/{volunteers.slug}/embed.js" async></script>'
        "<footer>Food pantry, 1 Main Street</footer></body></html>"
    )
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), partial(SimpleHTTPRequestHandler, directory=tmp_path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}/contact.html"
    server.shutdown()
    server.server_close()


@pytest.mark.spec("SELF-01")
def test_a_visitor_sends_the_form_embedded_in_another_website_and_is_thanked(
    web, browser, volunteers, other_site, outbox_sink, tmp_path
):  # type: ignore[no-untyped-def]
    volunteers.autoresponder = True
    volunteers.save()
    Category.objects.create(group=volunteers, name="Pantry")
    outbox_sink.messages.clear()
    (tmp_path / "list.txt").write_text("rice, beans")
    page = browser.new_page()
    page.goto(other_site)

    frame_element = page.locator("iframe[data-switchboard-form]")
    expect(frame_element).to_be_visible()
    form = page.frame_locator("iframe[data-switchboard-form]")
    expect(form.locator("h1")).to_have_text("Write to us")
    # The frame grows to the form's height: the Send button is in view without scrolling inside it.
    page.wait_for_function(
        "() => document.querySelector('iframe[data-switchboard-form]').getBoundingClientRect().height !== 640"
    )
    form.locator("#id_name").fill("Maria Garcia")
    form.locator("#id_email").fill("maria@example.org")
    form.locator("#id_category").select_option(label="Pantry")
    form.locator("#id_message").fill("Are you open on Saturday?")
    form.locator("#id_attachments").set_input_files(str(tmp_path / "list.txt"))
    form.locator("[data-send]").click()

    expect(form.locator("[data-thanks] h1")).to_have_text("Thank you, your message has been sent.")
    expect(page.locator("footer")).to_have_text("Food pantry, 1 Main Street")  # still on their own page
    (acknowledgement,) = outbox_sink.wait_for(1)
    assert acknowledgement["To"] == "maria@example.org"
    ticket = Ticket.objects.get(group=volunteers)
    assert (ticket.source, ticket.category.name) == (TicketSource.WEB, "Pantry")
    entry = ticket.activities.get(kind=ActivityKind.WEB_IN)
    assert re.fullmatch(r"HeadlessChrome \d+ on Linux", entry.client)  # what this Chromium says it is
    assert [a.filename for a in entry.attachments.all()] == ["list.txt"]
    page.close()


@pytest.mark.spec("SELF-01")
def test_a_manager_copies_the_snippet_from_the_group_settings(web, browser, volunteers):  # type: ignore[no-untyped-def]
    mona = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=web)
    page = signed_in(context, web, mona)
    page.goto(f"{web}/groups/{volunteers.slug}/settings/")

    page.locator("[data-copy='embed-script']").click()

    expect(page.locator("[data-copy='embed-script'] [data-copy-label]")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert re.fullmatch(rf'<script src="http://[^"]+/f/{volunteers.slug}/embed\.js" async></script>', copied)
    context.close()
