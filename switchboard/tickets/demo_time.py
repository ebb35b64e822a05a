"""Demo data of time per ticket (AGENT-07): on anna's first open ticket, time she and a colleague
logged (by the timer and by hand, with notes), in English or Polish; the ticket's group starts
the timer when a ticket is opened. Loaded with the demo (`switchboard run`), once."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from switchboard.tickets.models import Ticket, TimeEntry, TimeSource
from switchboard.tickets.permissions import visible_groups
from switchboard.tickets.time_tracking import do_log_time

# (minutes, note, by the timer, anna's or a colleague's)
ENTRIES = {
    "en": [
        (12, "Read the history and checked the delivery address", True, True),
        (25, "Called the warehouse about the missing boxes", False, False),
        (8, "", True, True),
    ],
    "pl": [
        (12, "Przeczytałam historię i sprawdziłam adres dostawy", True, True),
        (25, "Telefon do magazynu w sprawie brakujących kartonów", False, False),
        (8, "", True, True),
    ],
}


@transaction.atomic
def load_time_demo(language: str = "en") -> None:
    """Logged time on anna's first open ticket; nothing if the demo has no anna or time is logged."""
    anna = User.objects.filter(username="anna").first()
    if anna is None or TimeEntry.objects.exists():
        return
    tickets = Ticket.objects.filter(group__in=visible_groups(anna), closed_at__isnull=True)
    ticket = tickets.filter(owner=anna).order_by("number").first() or tickets.order_by("number").first()
    if ticket is None:
        return
    colleague = User.objects.filter(memberships__group=ticket.group).exclude(pk=anna.pk).order_by("username").first()
    ticket.group.timer_starts_on_open = True
    ticket.group.save(update_fields=["timer_starts_on_open"])
    for minutes, note, timer, hers in ENTRIES[language]:
        agent = anna if hers or colleague is None else colleague
        source = TimeSource.TIMER if timer else TimeSource.MANUAL
        do_log_time(ticket, minutes=minutes, note=note, source=source, acting_user=agent)
