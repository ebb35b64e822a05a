"""The intake's writer is the bottleneck of inbound mail (bench/README.md, "Inbound mail"): the
ticket a message goes to is read once, with its row locked, and not again by the timeline; a
batch's search entries and outcomes are written in one statement each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from switchboard.intake.models import OutboundMessage, RawMessage
from switchboard.mail.fetch import check_mailbox
from switchboard.mail.tests.test_mailboxes import mail, tickets_of
from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.models import ActivityKind, StatusKind, Ticket
from switchboard.tickets.search import matching_ticket_ids


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

    # At the batch's start one read of the tickets named by tokens and one of the senders' open
    # tickets, locked (finding.py, read_batch_tickets); each ticket is handed out once, so a
    # sender's second message reads theirs again (the first changed it).
    assert ticket_reads(queries) == 2 + len(senders), "the batch's tickets read together, locked"
    for n, sender in enumerate(senders):
        (ticket,) = tickets_of(f"person{n}@example.org")
        assert ticket == first[sender], "both messages joined the contact's open ticket"
        bodies = list(
            ticket.activities.filter(kind=ActivityKind.EMAIL_IN).order_by("pk").values_list("body", flat=True)
        )
        assert bodies == ["Can I help?", f"And on Sunday, {n}?", f"Or Monday, {n}?"]
        assert ticket.version > first[sender].version
        assert ticket.status.kind in StatusKind.needing_action()


WORDS = "zero one two three four five six seven eight nine ten".split()
PER_NEW_TICKET = 7  # statements for one more message from a new sender in a batch (15.4 unbatched, 7.4 in round 2)


def statements(queries: CaptureQueriesContext) -> int:
    """What the database is asked, savepoints aside."""
    return sum(1 for query in queries.captured_queries if not query["sql"].startswith(("SAVEPOINT", "RELEASE")))


@pytest.mark.spec("MAIL-01", "MAIL-13")
def test_a_batch_writes_search_entries_and_outcomes_once_and_asks_fewer_statements_a_message(dovecot, support_mailbox):
    dovecot.deliver(mail("Person 0 <person0@example.org>", "Boiler 0", f"Leaks {WORDS[0]}"))
    with CaptureQueriesContext(connection) as alone:
        check_mailbox(support_mailbox)
    for n in range(1, 11):
        dovecot.deliver(mail(f"Person {n} <person{n}@example.org>", f"Boiler {n}", f"Leaks {WORDS[n]}"))

    with CaptureQueriesContext(connection) as together:
        check_mailbox(support_mailbox)  # ten new tickets in one batch

    def writes(statement: str) -> int:
        return sum(1 for query in together.captured_queries if query["sql"].startswith(statement))

    assert writes('INSERT INTO "tickets_searchentry"') == 1, "title, contact and message of ten tickets: one insert"
    assert writes('UPDATE "intake_rawmessage"') == 1, "ten outcomes: one update"
    per_message = (statements(together) - statements(alone)) / 9  # what one more message in a batch costs
    print(f"statements: one message {statements(alone)}, ten {statements(together)}, {per_message:.1f} each")
    assert per_message <= PER_NEW_TICKET, "no more statements a message than the batch needs"
    for n in range(11):
        (ticket,) = tickets_of(f"person{n}@example.org")
        assert ticket.title == f"Boiler {n}"
        assert list(Ticket.objects.filter(id__in=matching_ticket_ids(f"leaks {WORDS[n]}"))) == [ticket]
        raw = RawMessage.objects.get(ticket=ticket)  # its outcome, saved with the batch's others
        assert (raw.state, raw.sender, raw.reason) == (RawMessage.State.APPLIED, f"person{n}@example.org", "")
        assert raw.activity is not None and raw.activity.body == f"Leaks {WORDS[n]}"
        assert raw.processed_at is not None and abs(raw.processed_at - timezone.now()) < dt.timedelta(minutes=5)


@pytest.mark.spec("MAIL-03", "CORE-03")
def test_a_known_sender_without_an_open_ticket_writing_twice_in_one_batch_opens_one_ticket(
    dovecot, support_mailbox, settings
):
    """The batch reads its senders' open tickets at its start; that one had none holds only
    until their first message of the batch has opened one: the second joins it, as a reply."""
    settings.AUTORESPONSE_LIMIT = settings.AUTORESPONSE_LIMIT_PER_DOMAIN = 10
    group = support_mailbox.group
    group.autoresponder = True
    group.save()
    dovecot.deliver(mail("Ola <ola@example.org>", "Printer", "It jams"))
    check_mailbox(support_mailbox)
    (closed,) = tickets_of("ola@example.org")
    do_close_ticket(closed, acting_user=None)
    dovecot.deliver(mail("Ola <ola@example.org>", "Scanner", "It is slow"))
    dovecot.deliver(mail("Ola <ola@example.org>", "Scanner again", "And loud"))

    check_mailbox(support_mailbox)  # both in one batch

    first, new = tickets_of("ola@example.org")
    assert first == closed and new.is_open
    assert list(new.activities.filter(kind=ActivityKind.EMAIL_IN).order_by("pk").values_list("body", flat=True)) == [
        "It is slow",
        "And loud",
    ]
    acknowledged = OutboundMessage.objects.filter(to_address="ola@example.org", automatic=True)
    assert acknowledged.count() == 2, "one acknowledgement a new ticket: the second message was not a new one"
