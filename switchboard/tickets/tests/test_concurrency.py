"""Two agents (or two inbound messages) at the same moment: the database decides."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections

from switchboard.tickets.actions import OpenTicketExistsError, do_create_ticket
from switchboard.tickets.models import Ticket, TicketSource
from switchboard.tickets.tests.factories import make_contact


@pytest.mark.spec("CORE-03")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creators_make_exactly_one_open_ticket(volunteers):
    maria = make_contact()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def create() -> None:
        try:
            start.wait()
            do_create_ticket(volunteers, contact=maria, source=TicketSource.EMAIL, acting_user=None)
            outcomes.append("created")
        except OpenTicketExistsError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["created", "refused"]
    assert Ticket.objects.filter(contact=maria, group=volunteers, closed_at__isnull=True).count() == 1
