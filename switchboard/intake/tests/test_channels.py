"""The channel registry: the pipeline finds each channel's parser and sender by name."""

from __future__ import annotations

import pytest

from switchboard.contacts.models import ContactPoint
from switchboard.intake import channels
from switchboard.intake.actions import do_queue_outbound
from switchboard.intake.channels import Channel, UnknownChannelError, get_channel
from switchboard.intake.inbound import Inbound, Person
from switchboard.intake.models import OutboundMessage, RawMessage
from switchboard.intake.outbound import Outbound
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.tickets.models import ActivityKind, Group, TicketSource
from switchboard.tickets.tests.factories import make_contact, make_ticket


def test_the_mail_app_registers_email_with_its_parser() -> None:
    email = get_channel("email")
    raw = b"From: Maria Garcia <maria@example.com>\r\nSubject: Broken printer\r\n\r\nIt jams.\r\n"
    [inbound, reason] = email.parse([raw, b"Subject: no sender\r\n\r\nHello\r\n"])
    assert isinstance(inbound, Inbound)
    assert (inbound.sender.address, inbound.subject) == ("maria@example.com", "Broken printer")
    assert reason == "The message has no sender address."
    assert email.deliver is not None
    assert (email.contact_point_kind, email.ticket_source, email.autorespond) == ("email", "email", True)


def test_an_unknown_channel_is_a_clear_error() -> None:
    with pytest.raises(UnknownChannelError, match="carrier-pigeon"):
        get_channel("carrier-pigeon")


# A channel the intake has never heard of, registered as a channel app would: the pipeline and
# the outbox must serve it through the registry alone.
def _parse_pager(messages: list[bytes]) -> list[Inbound | str]:
    parsed: list[Inbound | str] = []
    for data in messages:
        number, _newline, text = data.decode().partition("\n")
        parsed.append(Inbound(channel="pager", sender=Person(number), text=text) if text else "An empty page.")
    return parsed


@pytest.fixture
def pager(monkeypatch: pytest.MonkeyPatch) -> list[OutboundMessage]:
    delivered: list[OutboundMessage] = []
    channel = Channel(
        name="pager",
        parse=_parse_pager,
        deliver=delivered.append,
        contact_point_kind=ContactPoint.Kind.PHONE,
        autorespond=False,
        ticket_source=TicketSource.SMS,
        sender_of=lambda data: data.decode().partition("\n")[0],
    )
    monkeypatch.setitem(channels._CHANNELS, "pager", channel)
    return delivered


def _receive(group: Group, key: str, data: bytes) -> RawMessage:
    [raw] = do_store_raw_messages([RawItem("pager", key, data, group)])
    do_apply_raw_messages([raw])
    raw.refresh_from_db()
    return raw


def test_a_message_of_another_channel_becomes_a_ticket_of_that_channel(pager, volunteers, smtp_sink) -> None:  # type: ignore[no-untyped-def]
    first = _receive(volunteers, "page-1", b"+48601234567\nThe van is at the depot.")
    second = _receive(volunteers, "page-2", b"+48601234567\nAnd the keys are with Ola.")
    unreadable = _receive(volunteers, "page-3", b"+48609999999\n")

    assert (first.state, second.state) == (RawMessage.State.APPLIED, RawMessage.State.APPLIED)
    ticket = first.ticket
    assert ticket is not None and second.ticket == ticket  # the caller's open ticket, by their number
    assert ticket.source == TicketSource.SMS
    assert list(ticket.contact.points.values_list("kind", "value")) == [("phone", "+48601234567")]
    texts = list(ticket.activities.filter(kind=ActivityKind.EMAIL_IN).values_list("body", flat=True))
    assert texts == ["The van is at the depot.", "And the keys are with Ola."]
    assert smtp_sink.messages == []  # this channel sends no acknowledgement email
    assert (unreadable.state, unreadable.reason, unreadable.sender) == (
        RawMessage.State.QUARANTINED,
        "An empty page.",
        "+48609999999",
    )


def test_the_outbox_delivers_through_the_channel_of_the_message(
    pager, volunteers, smtp_sink, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    ticket = make_ticket(volunteers, contact=make_contact(email="maria@example.org"))
    outbound = Outbound("pager", "+48220000000", "+48601234567", "", "On our way.", "", "", "", [])
    with django_capture_on_commit_callbacks(execute=True):  # the send job starts on commit
        do_queue_outbound(outbound, ticket=ticket, activity=None)

    message = OutboundMessage.objects.get(ticket=ticket)
    assert message.state == OutboundMessage.State.SENT
    assert [(sent.to_address, sent.text) for sent in pager] == [("+48601234567", "On our way.")]
    assert smtp_sink.messages == []
