"""The customer portal's people: Maria and Jan, contacts who must never see each other's tickets."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from switchboard.portal.tests.helpers import message
from switchboard.tickets.actions import do_add_note
from switchboard.tickets.models import Attachment
from switchboard.tickets.tests.factories import make_contact, make_ticket


@pytest.fixture
def maria(db):
    return make_contact("Maria", "Garcia", email="maria@example.org")


@pytest.fixture
def jan(db):
    return make_contact("Jan", "Kowalski", email="jan@example.pl")


@pytest.fixture
def marias_ticket(volunteers, maria, alice_agent):
    ticket = make_ticket(volunteers, contact=maria)
    message(ticket, "My bicycle delivery is late.", file="maria-receipt.pdf")
    do_add_note(ticket, body="Internal: courier lost it", acting_user=alice_agent)
    return ticket


@pytest.fixture
def jans_ticket(donations, jan, bob_agent):
    ticket = make_ticket(donations, contact=jan)
    message(ticket, "Jan's secret bank transfer question", file="jan-statement.pdf")
    note = do_add_note(ticket, body="Jan note: VIP donor", acting_user=bob_agent)
    internal = Attachment(activity=note, filename="jan-internal.pdf", content_type="application/pdf", size=3)
    internal.file.save("jan-internal.pdf", ContentFile(b"pdf"), save=True)
    return ticket
