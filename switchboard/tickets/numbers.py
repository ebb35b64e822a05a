"""Ticket numbers: unique, increasing, never given twice (a deleted ticket's number stays used).

On PostgreSQL they come from a sequence (``ticket_number``, made by migration 0037): taking one
locks nothing, so tickets opened at once by several workers (the intake, the API, a campaign)
never wait for each other's transactions to end. A transaction that rolls back leaves its number
unused: numbers can have gaps. SQLite lets one transaction write at a time anyway: there the
``ticket`` counter row hands them out, in order and without gaps."""

from __future__ import annotations

from django.db import connection

from switchboard.tickets.models import Counter

SEQUENCE = "ticket_number"


def take_ticket_numbers(count: int) -> list[int]:
    """``count`` new ticket numbers, in increasing order, in one statement."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1", [SEQUENCE, count])
            return [int(number) for (number,) in cursor.fetchall()]
        table = connection.ops.quote_name(Counter._meta.db_table)
        cursor.execute(f"UPDATE {table} SET value = value + %s WHERE name = %s RETURNING value", [count, "ticket"])  # noqa: S608
        row = cursor.fetchone()
    if row is None:  # a new database: the counter row is made on first use
        Counter.objects.get_or_create(name="ticket")
        return take_ticket_numbers(count)
    last = int(row[0])
    return list(range(last - count + 1, last + 1))


def take_ticket_number() -> int:
    return take_ticket_numbers(1)[0]
