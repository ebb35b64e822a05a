"""Shared test fixtures: named people (healthchecks style) and groups made through the actions."""

from __future__ import annotations

import gc
import os
import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

import greenlet
import pytest
from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils import translation
from playwright.sync_api import expect, sync_playwright

from switchboard.testing.browser import CHROMIUM_ARGS, CHROMIUM_PATH
from switchboard.testing.processes import (
    free_port,
    running,
    servers_stacks_and_logs,
    shared_database_url,
    wait_until_serving,
)
from switchboard.testing.smtp import start_smtp_sink


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres_only`` prove what only concurrent connections show (races that
    locks must win): SQLite runs one writer at a time, so there they would prove nothing."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: SQLite serialises writers, so races cannot happen there")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def jobs_run_immediately():
    """Unit tests run jobs in Huey's immediate mode (in the test's own thread and database);
    tests/test_jobs.py turns it off to go through a real `switchboard worker`."""
    settings.HUEY.immediate = True
    yield


@pytest.fixture(autouse=True, scope="session")
def emptying_outlasts_the_servers(django_db_blocker):
    """On PostgreSQL, the tests' own connections wait 10 s, not 1 s, before they call a lock wait
    a deadlock. Emptying the database after a test (its tables locked, as by TRUNCATE) can meet a `switchboard web` or
    `worker` process still finishing what the test's browser asked for; of the two, the server's
    transaction is then the one given up, not the emptying that the next test needs."""

    def slow_to_suspect(connection, **_kwargs):  # type: ignore[no-untyped-def]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET deadlock_timeout = '10s'")

    connection_created.connect(slow_to_suspect, weak=False)
    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.connection is not None:
                slow_to_suspect(connection)
    yield
    connection_created.disconnect(slow_to_suspect)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, made as pytest-django makes it; after each transactional test it is
    emptied by DELETE of the tables written (switchboard/testing/emptying.py), not by Django's
    flush (TRUNCATE of every table, then post_migrate), which took seconds a test on PostgreSQL."""
    from django.test import TransactionTestCase

    from switchboard.testing.emptying import empty_database, kept_rows

    with django_db_blocker.unblock():
        migrate_made = {alias: kept_rows(connections[alias]) for alias in connections}
    flush = TransactionTestCase._fixture_teardown

    def empty_after_test(test_case: TransactionTestCase) -> None:
        if test_case.available_apps is not None or test_case.serialized_rollback:
            flush(test_case)
            return
        for alias in test_case._databases_names(include_mirrors=False):
            if not empty_database(connections[alias], migrate_made=migrate_made[alias]):
                flush(test_case)  # a test changed the content types or permissions: Django's way
                return

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", empty_after_test)
        yield


@pytest.fixture(autouse=True)
def ticket_numbers_from_one(request):
    """Each test's tickets are #1, #2, …: on SQLite the counter row goes with the test's
    rollback; PostgreSQL's sequence (tickets/numbers.py) is not rolled back, so it starts again."""
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("db" if "db" in request.fixturenames else "transactional_db")
        from django.db import connection

        from switchboard.tickets.numbers import SEQUENCE

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(%s, 1, false)", [SEQUENCE])


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    """Each test's sockets run in an event loop of their own (``async_to_sync``): a Redis layer
    made in an earlier test's loop keeps locks bound to that loop ("bound to a different event
    loop" when a later test's consumer stops), so each test gets a new layer."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Test logins need no costly password hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    # Django's LocaleMiddleware leaves a request's language active in the thread (a Polish page
    # asked for by the test client): the next test starts in the site's language again.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def volunteers(db):
    from switchboard.tickets.actions import do_create_group

    return do_create_group("Volunteers", acting_user=None)


@pytest.fixture
def donations(db):
    from switchboard.tickets.actions import do_create_group

    return do_create_group("Donations", acting_user=None)


@pytest.fixture
def alice_agent(volunteers):
    """An agent of Volunteers."""
    from switchboard.tickets.tests.factories import make_agent

    return make_agent("alice", "AL", groups=[volunteers])


@pytest.fixture
def bob_agent(donations):
    """An agent of Donations only: must never reach Volunteers' tickets."""
    from switchboard.tickets.tests.factories import make_agent

    return make_agent("bob", "BO", groups=[donations])


@pytest.fixture
def dave_admin(db):
    """An administrator (superuser): every group, and the Django admin."""
    from switchboard.tickets.tests.factories import make_agent

    return make_agent("dave", "DA", groups=[], superuser=True)


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP listener, and Django's SMTP backend pointed at it."""
    from switchboard.testing.smtp import start_smtp_sink

    sink, controller = start_smtp_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    yield sink
    controller.stop()


@pytest.fixture(scope="session")
def oauth2_provider_server():
    """A local OAuth2 provider (Microsoft's and Google's sign-in stand-in) for the whole session."""
    from switchboard.testing.oauth2 import start_oauth2_provider

    provider, server = start_oauth2_provider()
    yield provider
    server.shutdown()
    server.server_close()


@pytest.fixture
def oauth2_provider(oauth2_provider_server, settings):
    """The session's OAuth2 provider, forgetting earlier tests' clients and tokens, with the
    Microsoft and Google sign-in settings pointed at it."""
    oauth2_provider_server.reset()
    url = oauth2_provider_server.url
    settings.OAUTH2_MICROSOFT_AUTHORIZE_URL = url + "/{tenant}/oauth2/v2.0/authorize"
    settings.OAUTH2_MICROSOFT_TOKEN_URL = url + "/{tenant}/oauth2/v2.0/token"
    settings.OAUTH2_GOOGLE_AUTHORIZE_URL = url + "/google/authorize"
    settings.OAUTH2_GOOGLE_TOKEN_URL = url + "/google/token"
    return oauth2_provider_server


@pytest.fixture(scope="session")
def dovecot_server(oauth2_provider_server):
    """A real Dovecot (IMAP and POP3) for the whole session: passwords, and XOAUTH2 with the
    local OAuth2 provider's tokens."""
    from switchboard.testing.dovecot import start_dovecot, stop_dovecot

    server = start_dovecot(oauth2_provider_url=oauth2_provider_server.url)
    yield server
    stop_dovecot(server)


@pytest.fixture
def dovecot(dovecot_server):
    """The session's Dovecot with empty inboxes."""
    for user in ("support@example.test", "agent@example.test"):
        dovecot_server.empty(user)
    return dovecot_server


@pytest.fixture
def support_mailbox(dovecot, volunteers):
    """support@example.test over IMAP (no TLS: a local test server), routed to Volunteers."""
    mailbox = dovecot.mailbox(volunteers, name="Support")
    mailbox.password = "secret1"
    mailbox.save()
    return mailbox


# --- pages in a real browser: one `switchboard web` + `switchboard worker` for the whole session ---


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, for this module only: Playwright's sync API runs an event loop in this
    thread while it is open, which the test's own ORM calls (and the database flush after each
    test) must be allowed beside, and which must be gone before other tests run."""
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        # What a page shows after a round trip to the server may take more than Playwright's 5 s
        # on a loaded 2-core CI machine; a page that never shows it still fails.
        expect.set_options(timeout=15_000)
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium):
    """The module's Chromium for one test. Its pages are closed when the test ends, before the
    database is emptied for the next: a page still busy (a ticket opened at the last step locks
    its row) would otherwise hold a lock that the emptying waits for, a deadlock on PostgreSQL."""
    yield chromium
    for context in chromium.contexts:
        context.close()


def greenlet_stacks() -> list[str]:
    """The stacks of this process's suspended greenlets. With Playwright's sync API the test runs
    in one greenlet and the browser's event loop in another: a thread's stack shows only the loop,
    never which call of the test waits."""
    return [
        "".join(traceback.format_stack(candidate.gr_frame))
        for candidate in gc.get_objects()
        if isinstance(candidate, greenlet.greenlet) and candidate.gr_frame is not None
    ]


@pytest.fixture(autouse=True)
def servers_shown_if_the_test_hangs(request):
    """pytest-timeout stops a hung test with the stacks of the test's own threads. 10 s before
    that, the stacks and the end of the output of the servers the tests run (a browser test most
    likely waits on one of them) are printed too, and the test's greenlets' stacks."""
    timeout = float(request.config.getini("timeout") or 0)
    if not timeout:
        yield
        return
    capture = request.config.pluginmanager.getplugin("capturemanager")

    def show() -> None:
        capture.suspend_global_capture(in_=True)
        print(f"\n+++ {request.node.nodeid} still runs: the servers' stacks and output +++", file=sys.stderr)
        print(servers_stacks_and_logs(), file=sys.stderr)
        print("--- the test's greenlets (Playwright's calls wait in one of them)", file=sys.stderr)
        for stack in greenlet_stacks():
            print(stack, file=sys.stderr, flush=True)
        capture.resume_global_capture()

    timer = threading.Timer(max(timeout - 10, 1), show)
    timer.daemon = True
    timer.start()
    yield
    timer.cancel()


@pytest.fixture(scope="session")
def outbox_sink():
    """The SMTP listener the web process's replies reach (through a worker)."""
    sink, controller = start_smtp_sink()
    yield sink
    controller.stop()


def servers_env(django_db_blocker, outbox_sink, **extra: str) -> dict[str, str]:
    """The environment of a test's `switchboard` servers: the test database, the test data folder,
    mail to ``outbox_sink``, no scheduler; ``extra`` over it."""
    with django_db_blocker.unblock():
        database_url = shared_database_url()
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SWITCHBOARD_DATA_DIR": str(settings.DATA_DIR),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(outbox_sink.port),
        "SCHEDULER": "0",
        **extra,
    }


def browsers_web(django_db_blocker, outbox_sink, logs: Path, *, hold: str, worker: bool) -> Iterator[str]:
    """`switchboard web` for browser tests (and a worker beside it that sends the outbox to
    ``outbox_sink`` if ``worker``), a reply sent from a page held ``hold`` seconds for Undo."""
    port = free_port()
    env = servers_env(
        django_db_blocker,
        outbox_sink,
        PORT=str(port),
        REPLY_UNDO_SECONDS=hold,
        # Browsers fill in web forms at machine speed; the minimum fill time is tested with a set clock.
        WEB_FORM_MIN_SECONDS="0",
    )
    env.pop("REDIS_URL", None)  # one web process: its in-memory channel layer joins the browsers
    commands = {"web": (["web"], env)}
    if worker:
        # An idle worker looks for jobs less and less often, at last every 10 s (Huey's backoff);
        # the suite leaves it idle that long between browser tests, and a test waiting for a reply
        # to be sent would wait as long. This one looks at least every half second.
        commands["worker"] = (["worker", "--max-delay", "0.5"], env)
    base = f"http://127.0.0.1:{port}"
    with running(commands, logs) as processes:
        wait_until_serving(f"{base}/healthz", processes)
        yield base


@pytest.fixture(scope="session")
def web(django_db_setup, django_db_blocker, tmp_path_factory, outbox_sink):
    """`switchboard web` on the test database, with a `switchboard worker` beside it that sends
    the outbox to ``outbox_sink``, for the whole session. A reply sent from a page leaves at once
    (REPLY_UNDO_SECONDS=0), so that a test waiting for its mail waits out no Undo hold (the hold is
    tested with a set clock, and in a browser on ``web_holding_replies``)."""
    yield from browsers_web(django_db_blocker, outbox_sink, tmp_path_factory.mktemp("web"), hold="0", worker=True)


@pytest.fixture(scope="module")
def web_holding_replies(django_db_setup, django_db_blocker, tmp_path_factory, outbox_sink):
    """A `switchboard web` as ``web``'s whose replies sent from a page are held a minute for Undo,
    far longer than a test takes; no worker of its own."""
    logs = tmp_path_factory.mktemp("web-holding")
    yield from browsers_web(django_db_blocker, outbox_sink, logs, hold="60", worker=False)


@pytest.fixture(scope="module")
def web_on_redis(django_db_setup, django_db_blocker, tmp_path_factory, outbox_sink) -> Iterator[tuple[str, str]]:
    """Two `switchboard web` processes and a worker on the test database and Redis: the
    addresses of the two web processes."""
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        pytest.skip("needs Redis: set REDIS_URL")
    env = servers_env(django_db_blocker, outbox_sink, REDIS_URL=redis_url)
    ports = [free_port(), free_port()]
    commands = {f"web-{port}": (["web"], {**env, "PORT": str(port)}) for port in ports}
    commands["worker"] = (["worker"], env)
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    with running(commands, tmp_path_factory.mktemp("web-on-redis")) as processes:
        for base in bases:
            wait_until_serving(f"{base}/healthz", processes)
        yield bases[0], bases[1]
