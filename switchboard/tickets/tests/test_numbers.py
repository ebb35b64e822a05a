"""Ticket numbers (CORE-02): unique and increasing wherever a ticket is opened, and, on
PostgreSQL, taken without waiting for another transaction that opened a ticket to end."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from switchboard.tickets.outbound import do_create_outbound_tickets
from switchboard.tickets.tests.factories import make_contact, make_ticket

pytestmark = pytest.mark.spec("CORE-02")


def test_numbers_go_up_one_by_one_and_a_campaign_takes_the_next_ones(volunteers):
    first, second = make_ticket(volunteers), make_ticket(volunteers)
    summary = do_create_outbound_tickets(
        volunteers,
        [make_contact("Ola", "Nowak", email="ola@example.org"), make_contact("Jan", "Kos", email="jan@example.org")],
        acting_user=None,
    )
    numbers = [first.number, second.number, *sorted(ticket.number for ticket in summary.created)]
    assert numbers == list(range(first.number, first.number + 4))


@pytest.mark.postgres_only  # SQLite runs one writing transaction at a time: the second one waits there by design
@pytest.mark.django_db(transaction=True)
def test_a_ticket_opened_while_another_transaction_holds_a_new_ticket_does_not_wait(volunteers):
    """The intake's job holding a new ticket in its transaction (routing, notices) does not keep
    a second worker from opening another: before the sequence, both queued on one counter row."""
    opened, finish = threading.Event(), threading.Event()
    held: list[int] = []

    def hold_a_new_ticket() -> None:
        try:
            with transaction.atomic():
                held.append(make_ticket(volunteers).number)
                opened.set()
                finish.wait(timeout=30)
        finally:
            close_old_connections()

    holder = threading.Thread(target=hold_a_new_ticket)
    holder.start()
    try:
        assert opened.wait(timeout=30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting for the holder would fail here
            number = make_ticket(volunteers).number
    finally:
        finish.set()
        holder.join(timeout=30)
    assert number == held[0] + 1
