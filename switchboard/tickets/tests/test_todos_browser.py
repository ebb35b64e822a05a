"""To-dos (AGENT-02) in a real browser against `switchboard web`: on a ticket's page the key t opens
the to-do form with the ticket's title, Enter saves it, and it is on home, tied to the ticket;
overdue once its time has passed, then ticked off there."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from switchboard.testing.browser import open_ticket
from switchboard.tickets.models import Todo
from switchboard.tickets.tests.factories import make_ticket
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("AGENT-02")]


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


def test_the_key_t_makes_a_todo_of_the_ticket_that_is_on_home_marked_overdue_and_ticked_off(
    web, browser, volunteers, alice_agent
):
    ticket = make_ticket(volunteers)
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    form = page.locator("#todo")
    expect(form).to_be_hidden()
    page.keyboard.press("t")
    expect(form).to_be_visible()
    text = form.get_by_label("New to-do for me, about this ticket")
    expect(text).to_be_focused()
    expect(text).to_have_value(ticket.title)
    page.keyboard.type("Ask the printer for the invoice")  # types over the chosen title
    form.get_by_label("Due (optional)").fill((timezone.now() + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"))
    text.press("Enter")

    expect(page.get_by_role("status").filter(has_text="To-do added")).to_be_visible()
    assert page.url == f"{web}/tickets/{ticket.number}/"
    todo = Todo.objects.get()
    assert (todo.text, todo.ticket_id, todo.agent_id) == ("Ask the printer for the invoice", ticket.pk, alice_agent.pk)

    page.goto(f"{web}/")
    row = page.locator(f'[data-todo-row="{todo.pk}"]')
    expect(row).to_contain_text("Ask the printer for the invoice")
    expect(row.get_by_role("link")).to_have_attribute("href", f"/tickets/{ticket.number}/")
    expect(row).not_to_contain_text("Overdue")

    Todo.objects.filter(pk=todo.pk).update(due_at=timezone.now() - dt.timedelta(minutes=5))  # its time passes
    page.reload()
    expect(row.locator("[data-todo-overdue]")).to_contain_text("Overdue")
    expect(page.locator("[data-todos-overdue]")).to_have_text("1 overdue")

    row.get_by_role("button", name="Mark done: Ask the printer for the invoice").click()
    expect(page.locator("[data-todos-count]")).to_have_text("0")
    expect(page.locator("[data-todos-done] summary")).to_contain_text("Done lately (1)")
    assert Todo.objects.get().is_done


def test_the_todo_button_opens_the_same_form_for_mouse_users(web, browser, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.get_by_role("button", name="To-do", exact=True).click()
    form = page.locator("#todo")
    expect(form).to_have_class(re.compile(r"\bshow\b"))  # opened, its animation over
    form.get_by_role("button", name="Add to-do").click()
    expect(page.get_by_role("status").filter(has_text="To-do added")).to_be_visible()
    assert Todo.objects.get().text == ticket.title
