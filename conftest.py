"""Shared test fixtures: named people (healthchecks style) and groups made through the actions."""

from __future__ import annotations

import pytest
from django.conf import settings


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


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Test logins need no costly password hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
