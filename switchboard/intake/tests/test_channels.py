"""The channel registry: the pipeline finds each channel's parser and sender by name."""

from __future__ import annotations

import pytest

from switchboard.intake.channels import UnknownChannelError, get_channel
from switchboard.intake.inbound import Inbound


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
