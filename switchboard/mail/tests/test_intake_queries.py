"""The intake's writer is the bottleneck of inbound mail (bench/README.md, "Inbound mail"): the
ticket a message goes to is read once, with its row locked, and not again by the timeline."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from switchboard.mail.fetch import check_mailbox
from switchboard.mail.tests.test_mailboxes import mail, tickets_of
from switchboard.tickets.models import ActivityKind, StatusKind


def ticket_reads(queries: CaptureQueriesContext) -> int:
    """SELECTs whose main table is the tickets' (not the ones that only join it)."""
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT ") and query["sql"].split(" FROM ", 1)[1].startswith('"tickets_ticket"')
    )


@pytest.mark.spec("MAIL-03")
def test_mail_onto_open_tickets_reads_each_ticket_once_and_lands_on_it(dovecot, support_mailbox):
    senders = [f"Person {n} <person{n}@example.org>" for n in range(6)]
    for sender in senders:
        dovecot.deliver(mail(sender, "Saturday shift", "Can I help?"))
    check_mailbox(support_mailbox)  # one new ticket each
    first = {sender: tickets_of(f"person{n}@example.org")[0] for n, sender in enumerate(senders)}
    for n, sender in enumerate(senders):  # again, once without a token and once answering by token
        dovecot.deliver(mail(sender, "Saturday shift", f"And on Sunday, {n}?"))
        dovecot.deliver(mail(sender, f"Re: [Ticket#{first[sender].number}] Saturday shift", f"Or Monday, {n}?"))

    with CaptureQueriesContext(connection) as queries:
        check_mailbox(support_mailbox)

    assert ticket_reads(queries) == 2 * len(senders), "one read of the ticket per message, locked"
    for n, sender in enumerate(senders):
        (ticket,) = tickets_of(f"person{n}@example.org")
        assert ticket == first[sender], "both messages joined the contact's open ticket"
        bodies = list(
            ticket.activities.filter(kind=ActivityKind.EMAIL_IN).order_by("pk").values_list("body", flat=True)
        )
        assert bodies == ["Can I help?", f"And on Sunday, {n}?", f"Or Monday, {n}?"]
        assert ticket.version > first[sender].version
        assert ticket.status.kind in StatusKind.needing_action()
