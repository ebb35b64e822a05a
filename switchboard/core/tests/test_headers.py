"""Browser protections in the response headers (issue 18, item 11): a Content-Security-Policy on
every page (the agents' pages, the admin, the contact's portal and the sign-in page), and HSTS with
the redirect to HTTPS when SECURE_COOKIES=1, in a real `switchboard web` process."""

from __future__ import annotations

import os
import subprocess
import urllib.error
import urllib.request

import pytest

from switchboard.core.tests.test_embedded_run import DERIVED_KEYS_WARNING, stop, wait_until_up
from switchboard.portal.links import ticket_token
from switchboard.testing.processes import free_port, shared_database_url, switchboard_command
from switchboard.tickets.tests.factories import make_ticket


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {name: value for name, _, value in (part.strip().partition(" ") for part in header.split(";"))}


def assert_strict_policy(response):
    directives = policy(response)
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert "script-src" not in directives and "style-src" not in directives, "both fall back to 'self'"


def test_the_sign_in_page_and_the_agents_pages_have_a_strict_content_security_policy(client, volunteers, alice_agent):
    assert_strict_policy(client.get("/login/"))
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    for url in ["/", "/groups/volunteers/", f"/tickets/{ticket.number}/", "/groups/volunteers/templates/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)


def test_the_admin_and_the_contacts_portal_have_it_too(client, volunteers, dave_admin):
    ticket = make_ticket(volunteers)
    response = client.get(f"/t/{ticket_token(ticket)}/")
    assert response.status_code == 200
    assert_strict_policy(response)
    client.force_login(dave_admin)
    for url in ["/admin/", "/admin/tickets/ticket/", "/admin/auth/user/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)


def test_without_secure_cookies_plain_http_is_served_and_no_hsts_is_sent(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str]]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=5) as response:  # noqa: S310 (our own local server)
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.mark.django_db(transaction=True)
def test_with_secure_cookies_http_is_redirected_to_https_and_https_gets_hsts():
    port = free_port()
    env = {
        **{key: value for key, value in os.environ.items() if key != "ENCRYPTION_KEYS"},
        "DATABASE_URL": shared_database_url(),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "SECURE_COOKIES": "1",
        "ALLOWED_HOSTS": "127.0.0.1,help.example.org",
    }
    process = subprocess.Popen(
        [switchboard_command(), "web"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        wait_until_up(port, process)  # the health check still answers on plain HTTP
        base = f"http://127.0.0.1:{port}"
        status, headers = fetch(f"{base}/login/", Host="help.example.org")
        assert status == 301
        assert headers["Location"] == "https://help.example.org/login/"
        # Behind the proxy, which says the browser used HTTPS:
        status, headers = fetch(f"{base}/login/", Host="help.example.org", **{"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"] == "max-age=31536000"
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "Secure" in headers["Set-Cookie"], "the CSRF cookie only over HTTPS"
    finally:
        output = stop(process)
    assert output.count(DERIVED_KEYS_WARNING) == 1, "the web process says once that the keys are derived"
