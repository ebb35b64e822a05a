"""Demo data of to-dos (AGENT-02): a few of anna's, in English or Polish: one overdue, one tied to
a ticket of hers due later today, one without a due time, one done. Loaded with the demo
(`switchboard run`), once."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from switchboard.tickets.models import Ticket, Todo
from switchboard.tickets.permissions import visible_groups
from switchboard.tickets.todos import do_add_todo, do_set_todo_done

# (text, hours from now to its due time or None, tied to a ticket of hers, done)
TODOS = {
    "en": [
        ("Send Maya the volunteers' rota for next week", -1, False, False),
        ("Ring back about the missing delivery", 3, True, False),
        ("Read the new parcel pick-up rules", None, False, False),
        ("Check this morning's voicemail", -2, False, True),
    ],
    "pl": [
        ("Wysłać Mai grafik wolontariuszy na przyszły tydzień", -1, False, False),
        ("Oddzwonić w sprawie brakującej dostawy", 3, True, False),
        ("Przeczytać nowe zasady odbioru paczek", None, False, False),
        ("Odsłuchać poranną pocztę głosową", -2, False, True),
    ],
}


@transaction.atomic
def load_todo_demo(language: str = "en") -> None:
    """Anna's to-dos in ``language``; nothing if the demo has no anna or she has to-dos already."""
    anna = User.objects.filter(username="anna").first()
    if anna is None or Todo.objects.filter(agent=anna).exists():
        return
    tickets = Ticket.objects.filter(group__in=visible_groups(anna), closed_at__isnull=True)
    ticket = tickets.filter(owner=anna).order_by("number").first() or tickets.order_by("number").first()
    now = timezone.now()
    for text, hours, tied, done in TODOS[language]:
        due_at = None if hours is None else (now + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)
        todo = do_add_todo(text=text, due_at=due_at, ticket=ticket if tied else None, acting_user=anna)
        if done:
            do_set_todo_done(todo, done=True, acting_user=anna)
