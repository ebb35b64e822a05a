"""In a real browser (Debian's Chromium) against `switchboard web`: a Polish agent's dates in an
en-US browser, mail in the contact's language, photos magnified on hover, and the canned
responses page on a phone."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from switchboard.contacts.actions import do_set_contact_language
from switchboard.testing.browser import open_ticket
from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.files import do_attach_file
from switchboard.tickets.models import Activity, ActivityKind, Membership
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


def polish(agent):
    agent.agent_profile.language = "pl"
    agent.agent_profile.save()
    return agent


def photo_taken_on_a_phone() -> bytes:
    image = Image.new("RGB", (1600, 1200), (40, 120, 200))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2026:05:10 09:41:00"  # DateTimeOriginal
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.spec("ADMIN-04", "CORE-07")
def test_a_polish_agent_in_an_english_browser_types_and_reads_dates_as_dd_mm_rrrr(
    web, browser, volunteers, alice_agent
):
    ticket = make_ticket(volunteers)
    page = signed_in(browser.new_context(locale="en-US", viewport=DESK), web, polish(alice_agent))

    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    due = page.locator("#id_due_at")
    expect(due).to_have_attribute("type", "text")
    expect(due).to_have_attribute("placeholder", "dd.mm.rrrr gg:mm")
    due.fill("05.12.2026 14:30")
    page.click("form:has(#id_due_at) button[type=submit]:has-text('Zapisz')")
    expect(page.locator("#id_due_at")).to_have_value("05.12.2026 14:30")

    page.goto(f"{web}/groups/{volunteers.slug}/closed/")
    closed_from = page.locator("#id_closed_from")
    expect(closed_from).to_have_attribute("placeholder", "dd.mm.rrrr")
    closed_from.fill("01.11.2026")
    closed_from.press("Enter")
    expect(page.locator("#id_closed_from")).to_have_value("01.11.2026")


@pytest.mark.spec("MAIL-07", "ADMIN-04")
def test_an_english_agent_answers_a_polish_contact_who_gets_a_polish_greeting_and_sign_off(
    web, browser, volunteers, alice_agent, outbox_sink
):
    contact = make_contact("Jan", "Kowalski", email="jan.kowalski@example.pl")
    do_set_contact_language(contact, language="pl", acting_user=None)
    ticket = make_ticket(volunteers, contact=contact)
    outbox_sink.messages.clear()
    page = signed_in(browser.new_context(locale="en-US"), web, alice_agent)

    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.click("text=Reply to contact")
    page.locator("#composer [data-editor-area]").click()
    page.keyboard.type("Your parcel leaves on Friday.")
    page.click("[data-email-view-toggle]")
    expect(page.frame_locator("#email-view iframe").locator("body")).to_contain_text("Dzień dobry,")
    page.click("[data-send]")
    expect(page.locator(".alert-success")).to_contain_text("jan.kowalski@example.pl")

    (email,) = outbox_sink.wait_for(1)
    text = email.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Dzień dobry,\n\nYour parcel leaves on Friday.\n\nZ pozdrowieniami,\nAlice (AL)")


@pytest.mark.spec("CORE-16")
def test_hovering_a_photo_shows_it_magnified_beside_the_timeline_with_its_details(
    web, browser, volunteers, alice_agent, settings
):
    settings.MEDIA_ROOT = settings.DATA_DIR / "media"  # where the web process reads files
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    message = Activity.objects.create(
        ticket=ticket, kind=ActivityKind.EMAIL_IN, body="The sofa, as promised.", from_address="maria@example.org"
    )
    photo = do_attach_file(message, filename="sofa.jpg", content_type="image/jpeg", content=photo_taken_on_a_phone())
    page = signed_in(browser.new_context(locale="en-US", viewport=DESK), web, alice_agent)

    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    figure = page.locator("[data-photo]")
    zoom = figure.locator("[data-photo-zoom]")
    expect(zoom).to_be_hidden()
    figure.locator(".photo-thumb img").hover()
    expect(zoom).to_be_visible()
    magnified = zoom.locator("img")
    expect(magnified).to_have_js_property("complete", True)
    assert magnified.evaluate("image => image.naturalWidth") == 400  # the 400×300 preview, sharp at this size
    expect(zoom).to_contain_text("sofa.jpg")
    expect(zoom).to_contain_text("Taken")
    expect(zoom).to_contain_text("10 May 2026")
    expect(zoom).to_contain_text("maria@example.org")
    zoom_box, timeline_box = zoom.bounding_box(), page.locator(".timeline").bounding_box()
    assert zoom_box["width"] >= 300 and zoom_box["x"] + zoom_box["width"] <= timeline_box["x"]  # beside it

    with page.expect_popup() as opened:
        figure.locator("[data-photo-name]").click()
    assert opened.value.url == f"{web}/attachments/{photo.pk}/"


@pytest.mark.spec("ADMIN-04")
def test_canned_responses_show_edit_and_delete_unclipped_in_polish_on_a_phone_and_a_desk(
    web, browser, volunteers, alice_agent
):
    manager = polish(make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER))
    do_save_canned_response(
        volunteers,
        title="Potwierdzenie terminu odbioru darowizny meblowej",
        body_html="<p>Przyjedziemy po meble w dniu [Wpisz datę] między 9:00 a 12:00.</p>",
        acting_user=manager,
    )
    for viewport in (PHONE, DESK):
        page = signed_in(browser.new_context(locale="pl-PL", viewport=viewport), web, manager)
        page.goto(f"{web}/groups/{volunteers.slug}/canned/")
        row = page.locator("[data-canned-table] tbody tr").first
        edit, delete = row.locator("a:has(.bi-pencil)"), row.locator("button:has(.bi-trash)")
        expect(edit).to_be_visible()
        expect(delete).to_be_visible()
        table = page.locator("[data-canned-table]").bounding_box()
        assert delete.bounding_box()["x"] + delete.bounding_box()["width"] <= table["x"] + table["width"] + 0.5
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.context.close()
