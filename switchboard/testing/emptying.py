"""Emptying the test database after a transactional test, cheaply.

A test that commits (``transactional_db``, ``django_db(transaction=True)``: every browser test,
whose pages a `switchboard web` process serves from the same database) leaves its rows behind,
and Django empties every table after it with its ``flush`` command: on PostgreSQL one TRUNCATE
of all ~80 tables, which makes new files for each table and its indexes (1.5-3 s on a busy
2-core machine), then the post_migrate signal, which reads every app's content types and
permissions back (0.15-0.3 s, on SQLite too). With some 300 such tests, that was most of the
PostgreSQL suite's time.

``empty_database`` leaves the same state for what the next test can see: every table of
Django's models is empty, except the content types and permissions that migrate made. It
locks every table against writers first (as TRUNCATE does, so a server process still finishing
what the test's browser asked for either commits before and is emptied, or waits and writes
after), asks in one statement which tables have rows, and DELETEs those (with the foreign keys
checked at commit, so in any order); a table that refuses DELETE (the append-only audit log's
trigger on PostgreSQL) is TRUNCATEd. Content types and permissions are kept, not emptied and
made again, unless a test changed how many there are: then Django's flush does it all.
"""

from __future__ import annotations

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

# What post_migrate fills: the flush empties them and the signal makes the same rows again.
MIGRATE_MADE = ("django_content_type", "auth_permission")
KEPT_ROWS_SQL = "SELECT (SELECT count(*) FROM django_content_type), (SELECT count(*) FROM auth_permission)"

# PostgreSQL: tables with a trigger of our own that fires on DELETE (bit 3 of tgtype).
DELETE_TRIGGERS_SQL = """
    SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE NOT t.tgisinternal AND t.tgtype & 8 <> 0
"""


def kept_rows(connection: BaseDatabaseWrapper) -> tuple[int, int]:
    """How many content types and permissions there are (what migrate made, at the start)."""
    with connection.cursor() as cursor:
        cursor.execute(KEPT_ROWS_SQL)
        content_types, permissions = cursor.fetchone()
    return int(content_types), int(permissions)


def empty_database(connection: BaseDatabaseWrapper, *, migrate_made: tuple[int, int]) -> bool:
    """Empty every table of Django's models but the content types and permissions, which must
    still number ``migrate_made``. Return False, having changed nothing, when they do not."""
    quote = connection.ops.quote_name
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in MIGRATE_MADE
    ]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        postgresql = connection.vendor == "postgresql"
        if postgresql:
            # SQLite's transactions take its one write lock at BEGIN (settings: IMMEDIATE).
            cursor.execute(f"LOCK TABLE {', '.join(map(quote, tables))} IN EXCLUSIVE MODE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if kept_rows(connection) != migrate_made:
            return False
        probes = (f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables)  # noqa: S608 -- models' tables
        cursor.execute(" UNION ALL ".join(probes), tables)
        written = [row[0] for row in cursor.fetchall()]
        refusing: set[str] = set()
        if postgresql and written:
            cursor.execute(DELETE_TRIGGERS_SQL)
            refusing = {row[0] for row in cursor.fetchall()}
        for table in written:
            cursor.execute(f"{'TRUNCATE' if table in refusing else 'DELETE FROM'} {quote(table)}")
    return True
