"""Sign-in protection (issue 18, item 10): failed sign-ins lock out the user name and the address
for a while (django-axes), on /login/ and on /admin/login/, and every attempt is kept for the
administrators. Through the real login forms over HTTP (the Django test client)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings

LOCKED_EN = "Too many failed sign-ins for this user name or from this address."
LOCKED_PL = "Zbyt wiele nieudanych logowań na tę nazwę użytkownika lub z tego adresu."


@pytest.fixture
def alice(alice_agent):
    alice_agent.set_password("right-horse-battery")
    alice_agent.save()
    return alice_agent


@pytest.fixture
def bob(bob_agent):
    bob_agent.set_password("bobs-own-secret")
    bob_agent.save()
    return bob_agent


def sign_in(client, username, password, *, address="10.0.0.1", url="/login/", **headers):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def fail_until_the_limit(client, username, *, address="10.0.0.1", url="/login/"):
    """LOGIN_FAILURE_LIMIT wrong passwords: the form again each time, and locked out at the last."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, username, "wrong", address=address, url=url)
        assert response.status_code == 200
        assert LOCKED_EN not in response.content.decode()
    assert sign_in(client, username, "wrong", address=address, url=url).status_code == 429


def test_wrong_passwords_lock_the_user_out_even_with_the_right_password(client, alice, bob):
    fail_until_the_limit(client, "alice")

    response = sign_in(client, "alice", "right-horse-battery")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_EN in page and "15 minutes" in page, "a clear message on the sign-in page"
    assert 'name="password"' in page, "the sign-in form, not a bare error page"
    assert not signed_in(client)
    # The user name is locked from everywhere ...
    assert sign_in(client, "alice", "right-horse-battery", address="10.0.0.77").status_code == 429
    assert not signed_in(client)
    # ... and others still sign in.
    assert sign_in(client, "bob", "bobs-own-secret", address="10.0.0.78").status_code == 302
    assert signed_in(client)


def test_the_locked_out_page_speaks_polish(client, alice):
    fail_until_the_limit(client, "alice")
    response = sign_in(client, "alice", "right-horse-battery", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 429
    assert LOCKED_PL in response.content.decode()


def test_an_address_that_guesses_many_user_names_is_locked_out_for_everyone(client, alice):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, f"guess{n}", "wrong", address="10.0.0.2").status_code == 200
    assert sign_in(client, "one-guess-too-many", "wrong", address="10.0.0.2").status_code == 429

    assert sign_in(client, "alice", "right-horse-battery", address="10.0.0.2").status_code == 429
    assert not signed_in(client)
    assert sign_in(client, "alice", "right-horse-battery", address="10.0.0.3").status_code == 302
    assert signed_in(client)


def test_the_lockout_ends_after_the_cool_off_time(client, alice):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        fail_until_the_limit(client, "alice")
        assert sign_in(client, "alice", "right-horse-battery").status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1))
        assert sign_in(client, "alice", "right-horse-battery").status_code == 429, "still within the cool-off"
        clock.shift(dt.timedelta(seconds=2))
        assert sign_in(client, "alice", "right-horse-battery").status_code == 302
        assert signed_in(client)


def test_the_admin_sign_in_is_locked_out_too_and_the_attempts_are_shown_to_administrators(client, dave_admin):
    dave_admin.set_password("dave-admin-secret")
    dave_admin.save()
    fail_until_the_limit(client, "dave", address="10.0.0.9", url="/admin/login/")

    response = sign_in(client, "dave", "dave-admin-secret", address="10.0.0.9", url="/admin/login/")
    assert response.status_code == 429
    assert LOCKED_EN in response.content.decode()
    assert client.get("/admin/").status_code == 302, "not signed in"

    client.force_login(dave_admin)  # another administrator's session, as it were
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    assert "dave" in attempts and "10.0.0.9" in attempts
    failures = client.get("/admin/axes/accessfailurelog/").content.decode()
    assert failures.count("10.0.0.9") >= settings.AXES_FAILURE_LIMIT


def test_a_successful_sign_in_is_logged_and_the_session_lasts_the_configured_time(client, alice):
    response = sign_in(client, "alice", "right-horse-battery", address="10.0.0.5")
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    from axes.models import AccessLog

    assert AccessLog.objects.filter(username="alice", ip_address="10.0.0.5").exists()


def test_an_entirely_numeric_password_is_refused(client, dave_admin, alice):
    client.force_login(dave_admin)
    response = client.post(
        f"/admin/auth/user/{alice.pk}/password/",
        {"password1": "4829137465", "password2": "4829137465", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert "This password is entirely numeric." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("right-horse-battery")
