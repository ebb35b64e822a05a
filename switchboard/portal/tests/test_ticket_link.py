"""The link in our mail to a ticket's conversation: the contact reads what was said and downloads
its files, never notes or their files; a forged link opens nothing and an old one says what to do."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from switchboard.portal.links import file_url, ticket_token, ticket_url
from switchboard.tickets.actions import do_add_note
from switchboard.tickets.models import Activity, ActivityKind, Attachment
from switchboard.tickets.tests.factories import make_contact, make_ticket


def attach(activity: Activity, name: str) -> Attachment:
    file = Attachment(activity=activity, filename=name, content_type="application/pdf", size=3)
    file.file.save(name, ContentFile(b"pdf"), save=True)
    return file


@pytest.fixture
def conversation(volunteers, alice_agent):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    asked = Activity.objects.create(ticket=ticket, kind=ActivityKind.EMAIL_IN, body="Here is the invoice.")
    invoice = attach(asked, "invoice.pdf")
    note = do_add_note(ticket, body="Maria owes us 20 zł, do not mention it", acting_user=alice_agent)
    internal = attach(note, "internal.pdf")
    return ticket, invoice, internal


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


@pytest.mark.spec("MAIL-08")
def test_the_link_shows_the_conversation_and_its_files_but_no_notes(client, conversation):
    ticket, invoice, internal = conversation
    page = client.get(path_of(ticket_url(ticket)))
    content = page.content.decode()
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    assert "Here is the invoice." in content and "invoice.pdf" in content
    assert "owes us" not in content and "internal.pdf" not in content

    token = ticket_token(ticket)
    download = client.get(path_of(file_url(invoice, token=token)))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("portal_file", args=[token, internal.pk])).status_code == 404


@pytest.mark.spec("MAIL-08")
def test_a_forged_link_or_another_tickets_link_opens_nothing(client, conversation, volunteers):
    ticket, invoice, _internal = conversation
    token = ticket_token(ticket)
    other_token = ticket_token(make_ticket(volunteers))
    forged = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.get(reverse("portal_ticket", args=[forged])).status_code == 404
    assert client.get(reverse("portal_ticket", args=["12"])).status_code == 404
    assert client.get(reverse("portal_file", args=[other_token, invoice.pk])).status_code == 404


@pytest.mark.spec("MAIL-08")
def test_a_link_works_for_its_days_and_then_explains_how_to_write_again(client, conversation, settings):
    ticket, invoice, _internal = conversation
    settings.CONTACT_LINK_DAYS = 30
    sent = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(sent, tick=False):
        token = ticket_token(ticket)
    with time_machine.travel(sent + dt.timedelta(days=30) - dt.timedelta(minutes=1), tick=False):
        assert client.get(reverse("portal_ticket", args=[token])).status_code == 200, "still valid on its last day"

    with time_machine.travel(sent + dt.timedelta(days=30, seconds=1), tick=False):
        page = client.get(reverse("portal_ticket", args=[token]))
        assert page.status_code == 410
        content = page.content.decode()
        assert "expired" in content and ticket.subject_token in content and "Here is the invoice." not in content
        assert client.get(reverse("portal_file", args=[token, invoice.pk])).status_code == 404
