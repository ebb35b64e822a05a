"""Several creators (agents, or inbound messages) at the same moment: the database decides.

On PostgreSQL only: SQLite runs one writing transaction at a time, so there the race these tests
look for cannot happen at all."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, transaction

from switchboard.testing.database import wait_for_blocked_connections
from switchboard.tickets.actions import OpenTicketExistsError, do_create_ticket
from switchboard.tickets.models import Group, Ticket, TicketSource
from switchboard.tickets.tests.factories import make_contact

CREATORS = 4


@pytest.mark.spec("CORE-03")
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_for_one_contact_make_exactly_one_open_ticket(volunteers):
    maria = make_contact()
    outcomes: list[str] = []

    def create() -> None:
        try:
            do_create_ticket(volunteers, contact=maria, source=TicketSource.EMAIL, acting_user=None)
            outcomes.append("created")
        except OpenTicketExistsError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=create) for _ in range(CREATORS)]
    # Every creator, each on its own connection, has looked for an open ticket of Maria's (none
    # yet) and waits to insert its own (the insert's check of its group waits for this lock on
    # the group's row): then all go on at once.
    with transaction.atomic():
        Group.objects.select_for_update().get(pk=volunteers.pk)
        for thread in threads:
            thread.start()
        wait_for_blocked_connections(CREATORS)
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["created"] + ["refused"] * (CREATORS - 1)
    assert Ticket.objects.filter(contact=maria, group=volunteers, closed_at__isnull=True).count() == 1
