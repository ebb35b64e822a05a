"""Sign-in hashes the password without holding a pooled database connection, so that a shift's
agents signing in at once do not wait for connections and get an error page; and the passwords
Django's own hasher set still work."""

from __future__ import annotations

import pytest
from django.contrib.auth import hashers
from django.db import connection, transaction

OURS = "switchboard.core.hashers.PBKDF2PasswordHasher"


@pytest.fixture
def connection_held_while_hashing(monkeypatch):
    """Whether the thread held a database connection each time a password was hashed."""
    held: list[bool] = []
    real_pbkdf2 = hashers.pbkdf2

    def watched(*args, **kwargs):
        held.append(connection.connection is not None)
        return real_pbkdf2(*args, **kwargs)

    monkeypatch.setattr(hashers, "pbkdf2", watched)
    return held


def test_a_password_set_by_djangos_hasher_still_signs_in_and_ours_is_djangos_format(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    djangos = hashers.make_password("pw-alice")
    settings.PASSWORD_HASHERS = [OURS]
    assert hashers.check_password("pw-alice", djangos)
    assert not hashers.check_password("pw-alicE", djangos)
    ours = hashers.make_password("pw-alice")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    assert hashers.check_password("pw-alice", ours)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_signing_in_hashes_the_password_with_the_connection_back_in_the_pool(
    alice_agent, client, settings, connection_held_while_hashing
):
    settings.PASSWORD_HASHERS = [OURS]
    alice_agent.set_password("pw-alice")
    alice_agent.save()
    connection_held_while_hashing.clear()

    response = client.post("/login/", {"username": "alice", "password": "pw-alice"})

    assert response.status_code == 302, "signed in"
    assert connection_held_while_hashing == [False], "the pool had the connection back while the password was checked"
    alice_agent.refresh_from_db()
    assert alice_agent.last_login is not None, "the queries after the check took a connection again"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_connection_stays(alice_agent, settings, connection_held_while_hashing):
    settings.PASSWORD_HASHERS = [OURS]
    with transaction.atomic():
        alice_agent.set_password("pw-new")
        alice_agent.save()
        assert alice_agent.check_password("pw-new")
    assert connection_held_while_hashing == [True, True], "a transaction is never cut off by a password"
    alice_agent.refresh_from_db()
    assert alice_agent.check_password("pw-new")
