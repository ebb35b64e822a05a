"""Debian's Chromium, as the browser tests and the screenshot script start it (RECIPES.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def open_ticket(page: Page, url: str) -> None:
    """Go to a ticket's page and wait until it has said it was opened: that may make the agent
    its owner, and the page then shows itself anew once, which would lose what a test typed."""
    page.goto(url)
    page.wait_for_selector("[data-ticket-socket][data-opened]", state="attached")
