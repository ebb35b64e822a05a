"""The queue report's dialog (PHONE-08) in a real browser against `switchboard web` on Redis: the
minute job, run here, pushes the due report through Redis to the agent's open page (as a worker
beside several web processes does); the dialog survives a reload and closes once filed."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from switchboard.shift.models import Area, QueueReport, Shift
from switchboard.shift.queue_reports import do_open_due_reports

pytestmark = pytest.mark.django_db(transaction=True)


def open_due_reports() -> int:
    """The minute job, in a thread of its own: Playwright's event loop holds this one."""

    def run() -> int:
        try:
            return do_open_due_reports()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def agent_page(browser: Browser, base: str, user) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    return context.new_page()


@pytest.mark.spec("PHONE-08")
def test_the_dialog_is_pushed_when_due_survives_a_reload_and_closes_once_filed(
    web_on_redis, browser, volunteers, alice_agent
):
    base = web_on_redis[0]
    volunteers.queue_report_minutes = 30
    volunteers.save()
    Area.objects.create(name="Kraków")
    shift = Shift.objects.create(agent=alice_agent, started_at=timezone.now() - dt.timedelta(minutes=29))
    page = agent_page(browser, base, alice_agent)
    page.goto(f"{base}/")
    page.wait_for_timeout(300)  # the notices socket connects
    assert open_due_reports() == 0  # 29 minutes in: not yet
    dialog = page.get_by_role("dialog", name="Queue report")
    expect(dialog).to_be_hidden()

    Shift.objects.filter(pk=shift.pk).update(started_at=timezone.now() - dt.timedelta(minutes=30, seconds=5))
    assert open_due_reports() == 1  # pushed through Redis to the open page
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")  # it cannot be dismissed
    expect(dialog).to_be_visible()

    page.reload()
    expect(dialog).to_be_visible()
    dialog.get_by_label("Calls in queue").fill("4")
    dialog.get_by_role("radio", name="Yes").check()
    dialog.get_by_role("button", name="File the report").click()
    expect(dialog.locator(".invalid-feedback").first).to_be_visible()  # the server's errors
    dialog.get_by_label("Longest wait (minutes)").fill("6")
    dialog.get_by_label("Where").select_option(label="Kraków")
    dialog.get_by_label("Comment").fill("Node 12 down")
    dialog.get_by_role("button", name="File the report").click()
    filed = page.locator("#queue-report")  # the dialog, its form replaced by the answer
    expect(filed.get_by_role("heading", name="Queue report filed.")).to_be_visible()
    report = QueueReport.objects.get()
    assert (report.calls_waiting, report.minutes_waiting, report.outage, report.area.name) == (4, 6, True, "Kraków")
    assert report.via == QueueReport.Via.PAGE and report.comment == "Node 12 down"
    filed.get_by_role("link", name="Open an outage in Kraków").click()  # no outage is open there yet (ADMIN-05)
    expect(page.get_by_label("Area")).to_have_value(str(Area.objects.get().pk))
    expect(dialog).to_be_hidden()
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Call Center")).to_be_visible()
    expect(dialog).to_be_hidden()
