"""An intake batch writes its search entries together at its end (tickets/batch_writes.py): what
a message rolled back in its savepoint wrote is dropped with it, the rest is found."""

from __future__ import annotations

import pytest
from django.db import transaction

from switchboard.tickets import batch_writes, search
from switchboard.tickets.actions import do_create_ticket
from switchboard.tickets.models import Ticket, TicketSource
from switchboard.tickets.tests.factories import make_contact


def found(words: str) -> list[str]:
    return sorted(Ticket.objects.filter(id__in=search.matching_ticket_ids(words)).values_list("title", flat=True))


@pytest.mark.spec("CORE-10")
def test_a_batch_finds_its_kept_tickets_and_forgets_the_rolled_back_ones(volunteers):
    with transaction.atomic(), batch_writes.batch():
        do_create_ticket(
            volunteers, contact=make_contact("Ewa", "Boiler"), source=TicketSource.EMAIL, acting_user=None,
            subject="Boiler leaks",
        )  # fmt: skip
        with pytest.raises(RuntimeError), transaction.atomic():  # a message quarantined midway
            do_create_ticket(
                volunteers, contact=make_contact("Jan", "Radiator"), source=TicketSource.EMAIL, acting_user=None,
                subject="Radiator cold",
            )  # fmt: skip
            raise RuntimeError
        assert found("boiler") == [], "written when the batch ends, together"

    assert found("boiler") == ["Boiler leaks"] and found("ewa") == ["Boiler leaks"]
    assert found("radiator") == [] and not Ticket.objects.filter(title="Radiator cold").exists()


@pytest.mark.spec("CORE-10")
def test_outside_a_batch_a_new_ticket_is_found_at_once(volunteers):
    with transaction.atomic():
        do_create_ticket(volunteers, contact=make_contact(), source=TicketSource.EMAIL, acting_user=None,
                         subject="Sofa pick-up")  # fmt: skip
        assert found("sofa") == ["Sofa pick-up"]
