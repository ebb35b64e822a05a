"""The "web" channel: what the website sends is stored, then goes through the one intake pipeline."""

from __future__ import annotations

import pytest

from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.tickets.files import NewFile
from switchboard.tickets.models import ActivityKind, Category, Group, TicketSource
from switchboard.tickets.tests.factories import make_contact, make_ticket
from switchboard.web.channel import WebMessage, receive_web_message


@pytest.mark.spec("SELF-01")
def test_a_message_from_the_website_opens_a_ticket_with_its_category_browser_and_files(
    volunteers: Group, smtp_sink, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    volunteers.autoresponder = True
    volunteers.save()
    pantry = Category.objects.create(group=volunteers, name="Pantry")
    message = WebMessage(
        email="maria@example.org",
        name="Maria Garcia",
        subject="Opening hours",
        text="Are you open on Saturday?",
        files=[NewFile("list.txt", "text/plain", b"rice, beans")],
        category_id=pantry.pk,
        client="Firefox 133 on Windows 10",
    )
    with django_capture_on_commit_callbacks(execute=True):  # the acknowledgement is sent on commit
        first = receive_web_message(volunteers, message)
    again = receive_web_message(volunteers, WebMessage(email="maria@example.org", text="And on Sunday?"))

    ticket = first.ticket
    assert first.state == RawMessage.State.APPLIED and ticket is not None
    assert again.ticket == ticket  # one open ticket per contact and group, as for every channel
    assert (ticket.source, ticket.category, ticket.title) == (TicketSource.WEB, pantry, "Opening hours")
    assert ticket.contact.display_name == "Maria Garcia"
    entry = ticket.activities.filter(kind=ActivityKind.WEB_IN).first()
    assert (entry.body, entry.client) == ("Are you open on Saturday?", "Firefox 133 on Windows 10")
    assert [a.filename for a in entry.attachments.all()] == ["list.txt"]
    assert [m["To"] for m in smtp_sink.messages] == ["maria@example.org"]  # the group's acknowledgement


def test_a_proven_ticket_gets_the_message_not_the_contacts_open_ticket_in_the_group(
    volunteers: Group, donations: Group, smtp_sink
) -> None:  # type: ignore[no-untyped-def]
    maria = make_contact(email="maria@example.org")
    in_volunteers, in_donations = make_ticket(volunteers, contact=maria), make_ticket(donations, contact=maria)

    raw = receive_web_message(
        volunteers, WebMessage(email="maria@example.org", text="About my donation", ticket_id=in_donations.pk)
    )

    assert raw.ticket == in_donations
    assert not in_volunteers.activities.filter(kind=ActivityKind.WEB_IN).exists()


def test_what_is_not_a_web_message_is_quarantined_with_the_reason(volunteers: Group) -> None:
    [raw] = do_store_raw_messages([RawItem("web", "broken-1", b"{not json", volunteers)])
    do_apply_raw_messages([raw])
    raw.refresh_from_db()
    assert raw.state == RawMessage.State.QUARANTINED
    assert raw.reason.startswith("Not a message from the website")
