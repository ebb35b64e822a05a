"""The emptying after a transactional test (switchboard/testing/emptying.py): what Django's flush
left, every model's table empty but the content types and permissions, without its cost."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import close_old_connections, connection, transaction

from switchboard.testing.database import wait_for_blocked_connections
from switchboard.testing.emptying import MIGRATE_MADE, empty_database, kept_rows
from switchboard.tickets.actions import do_create_group
from switchboard.tickets.models import Group
from switchboard.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db(transaction=True)


def tables_with_rows() -> set[str]:
    with connection.cursor() as cursor:
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        written = set()
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 -- a model's table
            if cursor.fetchone()[0]:
                written.add(table)
    return written


def test_every_written_table_is_emptied_and_what_migrate_made_is_kept(alice_agent, volunteers):
    make_ticket(volunteers)
    made = kept_rows(connection)
    assert {"tickets_ticket", "auth_user", "audit_auditentry", *MIGRATE_MADE} <= tables_with_rows()

    assert empty_database(connection, migrate_made=made)

    assert tables_with_rows() == set(MIGRATE_MADE)
    assert kept_rows(connection) == made


def test_a_test_that_changed_the_permissions_is_left_to_djangos_flush(volunteers):
    made = kept_rows(connection)
    Permission.objects.create(codename="x", name="x", content_type=ContentType.objects.get_for_model(Group))

    assert not empty_database(connection, migrate_made=made)
    assert Group.objects.filter(pk=volunteers.pk).exists()  # nothing emptied: the flush after this test does it


@pytest.mark.postgres_only  # SQLite's one write lock is taken at BEGIN, so a writer cannot be midway there
def test_a_server_still_writing_when_the_test_ends_is_emptied_too(db):
    """A `switchboard web` process may still be writing what the test's browser asked for: the
    emptying waits for its transaction and removes what it wrote (TRUNCATE's lock did as much)."""
    made = kept_rows(connection)
    inserted = threading.Event()

    def server_writing() -> None:
        try:
            with transaction.atomic():
                do_create_group("Written late", acting_user=None)
                inserted.set()
                # Commits once the emptying waits for it; one that does not wait finds it later.
                with contextlib.suppress(AssertionError):
                    wait_for_blocked_connections(1, timeout=5)
        finally:
            close_old_connections()

    server = threading.Thread(target=server_writing)
    server.start()
    try:
        assert inserted.wait(timeout=30)
        assert empty_database(connection, migrate_made=made)
    finally:
        server.join(timeout=30)
    assert not Group.objects.exists()
