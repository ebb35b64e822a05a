"""The solutions library and a reply's files in a real browser, against `switchboard web` and its
worker: a solution found without its accents, sorted, inserted at the caret and blocking Send
until its [blank] is filled (AGENT-04); files chosen in the composer, shown in the Email view,
kept over a refused Send, arriving as attachments and listed under the reply (CORE-16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from switchboard.intake.models import OutboundMessage
from switchboard.testing.browser import open_ticket
from switchboard.tickets.actions import do_change_ticket_status, do_create_ticket
from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.models import Activity, ActivityKind, CannedResponse, Category, Membership, StatusKind
from switchboard.tickets.tests.factories import make_agent, make_contact
from switchboard.tickets.tests.test_browser import no_pushes_from_the_test_process, signed_in, watched

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["no_pushes_from_the_test_process"]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def needing_reply(group, *, category=None):
    contact = make_contact("Maria", "Garcia", email="maria@example.org")
    ticket = do_create_ticket(group, contact=contact, source="email", category=category, acting_user=None)
    return do_change_ticket_status(ticket, status=group.statuses.get(kind=StatusKind.NEEDS_CONTACT), acting_user=None)


def library_titles(page: Page) -> list[str]:
    return page.locator("[data-solution-list] [data-solution] .fw-semibold").all_inner_texts()


@pytest.mark.spec("AGENT-04", "MAIL-05")
def test_a_solution_found_without_accents_goes_in_at_the_caret_and_its_blank_blocks_send(
    web, browser, volunteers, alice_agent
):
    manager = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    parcels = Category.objects.create(group=volunteers, name="Parcels")

    def solution(title, body, *, uses=0, used_days_ago=None, **options):
        canned = do_save_canned_response(volunteers, title=title, body_html=body, acting_user=manager, **options)
        last = timezone.now() - dt.timedelta(days=used_days_ago) if used_days_ago is not None else None
        CannedResponse.objects.filter(pk=canned.pk).update(use_count=uses, last_used_at=last)
        return canned

    solution("Alpha", "<p>Our hours are on the website.</p>", uses=1, used_days_ago=0)
    cheese = solution("Żółty ser", "<p>The cheese comes on [weekday].</p>", uses=9, used_days_ago=30)
    solution("Zucchini", "<p>Vegetables in every parcel.</p>", category=parcels)
    solution("Secret draft", "<p>Żółty draft, unchecked.</p>", published=False)
    ticket = needing_reply(volunteers, category=parcels)
    page = signed_in(browser.new_context(), web, alice_agent)
    violations = watched(page)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.keyboard.press("Alt+R")
    page.keyboard.type("Thank you for asking. Kind regards")
    for _word in range(2):
        page.keyboard.press("Control+ArrowLeft")  # the caret before "Kind regards"

    page.click("[data-solutions-toggle]")
    search = page.locator("[data-solution-search]")
    expect(search).to_be_focused()
    assert library_titles(page) == ["Zucchini", "Alpha", "Żółty ser"]  # the ticket's category first
    page.select_option("[data-solution-sort]", "uses")
    assert library_titles(page) == ["Zucchini", "Żółty ser", "Alpha"]
    page.select_option("[data-solution-sort]", "recent")
    assert library_titles(page) == ["Zucchini", "Alpha", "Żółty ser"]
    search.type("zolty")  # no accents, no draft
    expect(page.locator("[data-solution-list] [data-solution]")).to_have_count(1)
    assert library_titles(page) == ["Żółty ser"]
    search.fill("vegetables parcel")  # every word, in the title or the text
    assert library_titles(page) == ["Zucchini"]
    search.fill("unchecked")
    expect(page.locator("[data-solution-list]")).to_contain_text("No solution holds these words.")
    search.fill("ZÓŁTY")
    search.press("Enter")

    area = page.locator("[data-editor-area]")
    expect(area).to_contain_text("Thank you for asking. The cheese comes on [weekday].")
    assert area.inner_text().rstrip().endswith("Kind regards")
    expect(page.locator("#reply mark.placeholder")).to_have_text("[weekday]")
    send = page.locator("[data-send][data-then=stay]")
    expect(send).to_be_disabled()
    page.keyboard.press("Control+Shift+Enter")  # refused in the page while the blank is there
    expect(page.locator("[data-placeholder-warning]")).to_contain_text("[weekday]")
    assert not Activity.objects.filter(ticket=ticket, kind=ActivityKind.EMAIL_OUT).exists()
    page.keyboard.type("Tuesday")  # the blank was selected: typed over
    expect(send).to_be_enabled()
    page.keyboard.press("Control+Shift+Enter")

    expect(page.locator("[data-sent]")).to_contain_text(f"Reply on #{ticket.number} sent to maria@example.org")
    reply = Activity.objects.get(ticket=ticket, kind=ActivityKind.EMAIL_OUT)
    assert "The cheese comes on Tuesday." in reply.body
    cheese.refresh_from_db()
    assert cheese.use_count == 10 and cheese.last_used_at is not None
    assert violations == [], violations


@pytest.mark.spec("CORE-16", "MAIL-05")
def test_reply_files_are_kept_over_a_refused_send_previewed_sent_as_attachments_and_listed(
    web, browser, volunteers, alice_agent, outbox_sink, tmp_path
):
    ticket = needing_reply(volunteers)
    plan, notes = tmp_path / "plan.pdf", tmp_path / "notes.txt"
    plan.write_bytes(PDF)
    notes.write_text("Bring a bag.\n")
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.keyboard.press("Alt+R")
    page.set_input_files("[data-reply-files]", [str(plan), str(notes)])
    page.click("[data-send][data-then=stay]")  # no words yet: refused
    expect(page.locator("#reply .alert-danger")).to_contain_text("Write a reply first.")
    # The files are chosen again when the swapped page is set up (htmx:load), just after it shows.
    page.wait_for_function("() => document.querySelector('[data-reply-files]').files.length > 0")
    files = page.locator("[data-reply-files]")
    assert files.evaluate("input => Array.from(input.files, file => file.name)") == ["plan.pdf", "notes.txt"]

    page.locator("[data-editor-area]").click()
    page.keyboard.type("The plan and the notes are attached.")
    page.keyboard.press("Control+Shift+E")
    expect(page.locator("[data-email-files]")).to_contain_text("plan.pdf")
    expect(page.locator("[data-email-files]")).to_contain_text("notes.txt")
    page.keyboard.press("Control+Shift+E")
    outbox_sink.messages.clear()
    page.keyboard.press("Control+Shift+Enter")

    expect(page.locator("[data-sent]")).to_contain_text(f"Reply on #{ticket.number} sent to maria@example.org")
    reply = Activity.objects.get(ticket=ticket, kind=ActivityKind.EMAIL_OUT)
    entry = page.locator(f"#activity-{reply.pk}")
    expect(entry.locator("[data-file]")).to_have_text(["plan.pdf", "notes.txt"])
    for count in range(1, 6):  # other mail (a notification) may come first
        emails = [email for email in outbox_sink.wait_for(count) if email["To"] == "maria@example.org"]
        if emails:
            break
    assert len(emails) == 1
    attached = {part.get_filename(): part.get_content_type() for part in emails[0].iter_attachments()}
    assert attached == {"plan.pdf": "application/pdf", "notes.txt": "text/plain"}
    assert OutboundMessage.objects.get(activity=reply).attachments.count() == 2


@pytest.mark.spec("CORE-16")
def test_a_program_is_refused_beside_the_file_field_and_the_draft_stays(
    web, browser, volunteers, alice_agent, tmp_path
):
    ticket = needing_reply(volunteers)
    tool = tmp_path / "setup.exe"
    tool.write_bytes(b"MZ\x90\x00")
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.keyboard.press("Alt+R")
    page.keyboard.type("Here is the installer.")
    page.set_input_files("[data-reply-files]", str(tool))
    page.keyboard.press("Control+Shift+Enter")

    error = page.locator("[data-files-error]")
    expect(error).to_contain_text("“setup.exe” is a program or script, which is not sent")
    expect(error).to_contain_text("Choose the files again.")
    expect(page.locator("[data-reply-files]")).to_have_class("form-control form-control-sm is-invalid")
    expect(page.locator("[data-editor-area]")).to_have_text("Here is the installer.")
    assert page.locator("[data-reply-files]").evaluate("input => input.files.length") == 0
    assert not Activity.objects.filter(ticket=ticket, kind=ActivityKind.EMAIL_OUT).exists()
