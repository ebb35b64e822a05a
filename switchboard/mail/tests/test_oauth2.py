"""Mailboxes that sign in with OAuth2 (XOAUTH2), as Microsoft 365 and Gmail require: the consent
in the admin, tokens kept encrypted and refreshed, against a real Dovecot that checks each access
token with a local OAuth2 provider (switchboard/testing/oauth2.py)."""

from __future__ import annotations

import datetime as dt
import http.client
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from switchboard.mail.fetch import MailboxError, check_mailbox, try_connection
from switchboard.mail.models import Mailbox
from switchboard.mail.oauth2 import finish_sign_in, start_sign_in
from switchboard.mail.tests.test_mailboxes import mail, tickets_of
from switchboard.tickets.models import Ticket

CLIENT_ID, CLIENT_SECRET = "switchboard-app", "app-secret-9Qx"
REDIRECT_URI = "http://127.0.0.1:8000/admin/mail/mailbox/oauth2/callback/"
EXPIRED = "The sign-in to Microsoft 365 has expired or was revoked; connect the account again."


def provider_redirects_back(url: str) -> str:
    """What the browser goes through on the provider's page: the administrator signs in and
    consents (the local provider approves at once), and is redirected back to us."""
    parts = urlsplit(url)
    server = http.client.HTTPConnection(parts.hostname or "", parts.port)
    try:
        server.request("GET", f"{parts.path}?{parts.query}")
        response = server.getresponse()
        assert response.status == 302, response.read()
        return response.getheader("Location") or ""
    finally:
        server.close()


def connect(mailbox: Mailbox) -> None:
    """The consent an administrator gives in the admin, without the admin pages."""
    sign_in = start_sign_in(mailbox, redirect_uri=REDIRECT_URI)
    back = dict(parse_qsl(urlsplit(provider_redirects_back(sign_in.url)).query))
    assert back["state"] == sign_in.state
    finish_sign_in(mailbox, code=back["code"], code_verifier=sign_in.code_verifier, redirect_uri=REDIRECT_URI)


def stored_secrets(mailbox: Mailbox) -> str:
    """The mailbox's secret columns as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT oauth_client_secret_encrypted, oauth_refresh_token_encrypted, oauth_access_token_encrypted "
            "FROM mail_mailbox WHERE id = %s",
            [mailbox.pk],
        )
        return " ".join(cursor.fetchone())


@pytest.fixture
def microsoft_mailbox(dovecot, volunteers, oauth2_provider):
    """support@example.test over IMAP, signing in with Microsoft 365 (not connected yet)."""
    oauth2_provider.clients[CLIENT_ID] = CLIENT_SECRET
    mailbox = dovecot.mailbox(
        volunteers,
        name="Support",
        auth_method=Mailbox.AuthMethod.MICROSOFT,
        oauth_client_id=CLIENT_ID,
        oauth_tenant="contoso.example",
    )
    mailbox.oauth_client_secret = CLIENT_SECRET
    mailbox.save()
    return mailbox


@pytest.mark.spec("MAIL-01")
def test_an_administrator_connects_a_microsoft_365_mailbox_and_its_mail_becomes_tickets(
    client, dave_admin, volunteers, dovecot, oauth2_provider
):
    oauth2_provider.clients[CLIENT_ID] = CLIENT_SECRET
    client.force_login(dave_admin)
    form = {
        "name": "Support",
        "group": volunteers.pk,
        "enabled": "on",
        "protocol": "imap",
        "host": dovecot.host,
        "port": dovecot.imap_port,
        "security": "none",
        "username": "support@example.test",
        "auth_method": "microsoft",
        "oauth_client_id": CLIENT_ID,
        "new_oauth_client_secret": CLIENT_SECRET,
        "oauth_tenant": "contoso.example",
        "folder": "INBOX",
        "after_fetch": "seen",
        "interval_seconds": 60,
    }
    response = client.post(reverse("admin:mail_mailbox_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    mailbox = Mailbox.objects.get()
    page = client.get(reverse("admin:mail_mailbox_change", args=[mailbox.pk])).content.decode()
    assert "Not connected yet." in page and "Connect the account (Microsoft 365)" in page
    assert REDIRECT_URI in page  # what to register with the app at Microsoft

    to_provider = client.get(reverse("admin:mail_mailbox_connect_account", args=[mailbox.pk]))
    authorize = urlsplit(to_provider["Location"])
    assert authorize.path == "/contoso.example/oauth2/v2.0/authorize"  # the mailbox's tenant
    query = parse_qs(authorize.query)
    assert query["scope"] == [
        "https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/POP.AccessAsUser.All "
        "offline_access"
    ]
    assert query["code_challenge_method"] == ["S256"] and query["login_hint"] == ["support@example.test"]
    dovecot.deliver(mail())
    back = urlsplit(provider_redirects_back(to_provider["Location"]))
    assert back.path == reverse("admin:mail_mailbox_oauth2_callback")
    page = client.get(back.path, dict(parse_qsl(back.query)), follow=True).content.decode()

    assert "Support: connected to Microsoft 365." in page
    assert "Connected to 127.0.0.1 as support@example.test: 1 messages in INBOX, 1 unread." in page
    assert "Connected." in page and "Connect the account again" in page
    mailbox.refresh_from_db()
    assert mailbox.oauth_refresh_token in oauth2_provider.refresh_tokens
    assert mailbox.oauth_access_token in oauth2_provider.access_tokens
    stored = stored_secrets(mailbox)
    assert CLIENT_SECRET not in stored and mailbox.oauth_refresh_token not in stored
    assert mailbox.oauth_access_token not in stored

    page = client.post(
        reverse("admin:mail_mailbox_changelist"), {"action": "check_now", "_selected_action": [mailbox.pk]}, follow=True
    ).content.decode()
    assert "Support: 1 new message(s)." in page
    (ticket,) = tickets_of("maria@example.org")
    assert ticket.group == volunteers and ticket.title == "Saturday shift"
    assert dovecot.inbox()["unseen"] == []


@pytest.mark.spec("MAIL-01")
def test_a_callback_with_another_state_is_refused_and_the_real_one_still_connects(
    client, dave_admin, microsoft_mailbox, oauth2_provider
):
    client.force_login(dave_admin)
    callback = reverse("admin:mail_mailbox_oauth2_callback")
    page = client.get(callback, {"code": "forged", "state": "forged"}, follow=True).content.decode()
    assert "This sign-in was not started in this browser" in page  # nothing started at all

    to_provider = client.get(reverse("admin:mail_mailbox_connect_account", args=[microsoft_mailbox.pk]))
    back = dict(parse_qsl(urlsplit(provider_redirects_back(to_provider["Location"])).query))
    page = client.get(callback, {"code": back["code"], "state": "forged"}, follow=True).content.decode()
    assert "This sign-in was not started in this browser" in page
    microsoft_mailbox.refresh_from_db()
    assert microsoft_mailbox.oauth_refresh_token == "" and oauth2_provider.codes  # the code was not used

    page = client.get(callback, back, follow=True).content.decode()
    assert "Support: connected to Microsoft 365." in page
    page = client.get(callback, back, follow=True).content.decode()  # the same answer again
    assert "is finished already" in page


@pytest.mark.spec("MAIL-01")
def test_a_refusal_at_the_provider_is_shown_in_plain_words(client, dave_admin, microsoft_mailbox):
    client.force_login(dave_admin)
    to_provider = client.get(reverse("admin:mail_mailbox_connect_account", args=[microsoft_mailbox.pk]))
    state = parse_qs(urlsplit(to_provider["Location"]).query)["state"][0]
    answer = {"error": "access_denied", "error_description": "The user declined to consent.", "state": state}
    page = client.get(reverse("admin:mail_mailbox_oauth2_callback"), answer, follow=True).content.decode()
    assert "Support: Microsoft 365 did not connect the account: The user declined to consent." in page
    assert "Not connected yet." in page


@pytest.mark.spec("MAIL-01")
def test_an_access_token_about_to_expire_is_refreshed_before_connecting_and_stored(
    dovecot, microsoft_mailbox, oauth2_provider
):
    connect(microsoft_mailbox)
    old_access, old_refresh = microsoft_mailbox.oauth_access_token, microsoft_mailbox.oauth_refresh_token
    oauth2_provider.expire_access_tokens()  # Dovecot would refuse the old one now
    microsoft_mailbox.oauth_access_token_expires_at = timezone.now() + dt.timedelta(seconds=30)
    microsoft_mailbox.save()
    dovecot.deliver(mail())

    assert check_mailbox(Mailbox.objects.get()).stored == 1

    assert tickets_of("maria@example.org") and oauth2_provider.refreshes == 1
    mailbox = Mailbox.objects.get()
    assert mailbox.oauth_access_token not in ("", old_access)
    assert mailbox.oauth_access_token_expires_at > timezone.now() + dt.timedelta(minutes=50)
    assert mailbox.oauth_refresh_token not in ("", old_refresh)  # Microsoft gave a new one: kept
    assert mailbox.oauth_refresh_token not in stored_secrets(mailbox)
    try_connection(mailbox)
    assert oauth2_provider.refreshes == 1  # a valid token is used as it is


@pytest.mark.spec("MAIL-01")
def test_a_revoked_sign_in_gives_a_plain_words_error_and_leaves_the_mail_on_the_server(
    client, dave_admin, dovecot, microsoft_mailbox, oauth2_provider
):
    connect(microsoft_mailbox)
    oauth2_provider.revoke("support@example.test")
    microsoft_mailbox.oauth_access_token_expires_at = timezone.now() - dt.timedelta(minutes=5)
    microsoft_mailbox.save()
    dovecot.deliver(mail())

    with pytest.raises(MailboxError, match=EXPIRED):
        check_mailbox(microsoft_mailbox)
    assert Mailbox.objects.get().last_error == EXPIRED
    assert not Ticket.objects.exists() and len(dovecot.inbox()["unseen"]) == 1
    client.force_login(dave_admin)
    page = client.post(
        reverse("admin:mail_mailbox_changelist"),
        {"action": "test_connection", "_selected_action": [microsoft_mailbox.pk]},
        follow=True,
    ).content.decode()
    assert f"Support: {EXPIRED}" in page


@pytest.mark.spec("MAIL-01")
@pytest.mark.parametrize("protocol", ["imap", "pop3"])
def test_an_access_token_the_server_refuses_is_reported_not_hung_on(
    dovecot, microsoft_mailbox, oauth2_provider, protocol
):
    """The server answers a refused XOAUTH2 with a challenge holding the reason; we end the
    exchange and say what happened."""
    microsoft_mailbox.protocol = protocol
    microsoft_mailbox.port = dovecot.imap_port if protocol == "imap" else dovecot.pop3_port
    connect(microsoft_mailbox)
    oauth2_provider.expire_access_tokens()  # still valid for another hour as far as we know
    with pytest.raises(MailboxError, match="The server refused the Microsoft 365 sign-in as support@example.test"):
        try_connection(microsoft_mailbox)


@pytest.mark.spec("MAIL-01")
def test_a_gmail_mailbox_over_pop3_signs_in_with_xoauth2(dovecot, volunteers, oauth2_provider):
    oauth2_provider.clients[CLIENT_ID] = CLIENT_SECRET
    mailbox = dovecot.mailbox(
        volunteers,
        name="Gmail",
        protocol=Mailbox.Protocol.POP3,
        auth_method=Mailbox.AuthMethod.GOOGLE,
        oauth_client_id=CLIENT_ID,
    )
    mailbox.oauth_client_secret = CLIENT_SECRET
    mailbox.save()
    query = parse_qs(urlsplit(start_sign_in(mailbox, redirect_uri=REDIRECT_URI).url).query)
    assert query["scope"] == ["https://mail.google.com/"]
    assert query["access_type"] == ["offline"] and query["prompt"] == ["consent"]
    connect(mailbox)
    dovecot.deliver(mail())
    dovecot.deliver(mail("Jan <jan@example.pl>", "Paczka", "Dzień dobry"))

    assert check_mailbox(mailbox).stored == 2

    assert {t.title for t in Ticket.objects.all()} == {"Saturday shift", "Paczka"}
    assert dovecot.inbox()["all"] == [] and oauth2_provider.authorize_paths == ["/google/authorize"]


@pytest.mark.spec("MAIL-01")
def test_the_admin_form_asks_for_the_app_and_forgets_the_tokens_of_another_account(
    client, dave_admin, microsoft_mailbox
):
    connect(microsoft_mailbox)
    client.force_login(dave_admin)
    change = reverse("admin:mail_mailbox_change", args=[microsoft_mailbox.pk])
    form = {
        "name": "Support",
        "group": microsoft_mailbox.group.pk,
        "enabled": "on",
        "protocol": "imap",
        "host": microsoft_mailbox.host,
        "port": microsoft_mailbox.port,
        "security": "none",
        "username": "support@example.test",
        "auth_method": "google",
        "oauth_client_id": "",
        "folder": "INBOX",
        "after_fetch": "seen",
        "interval_seconds": 60,
    }
    page = client.post(change, form).content.decode()
    assert "Needed for OAuth2" in page
    assert Mailbox.objects.get().auth_method == Mailbox.AuthMethod.MICROSOFT

    response = client.post(change, {**form, "oauth_client_id": "gmail-app"})  # the stored secret is kept
    assert response.status_code == 302
    mailbox = Mailbox.objects.get()
    assert mailbox.oauth_client_secret == CLIENT_SECRET
    assert mailbox.oauth_refresh_token == "" and mailbox.oauth_access_token_expires_at is None
    with pytest.raises(MailboxError, match="not connected to Google yet"):
        try_connection(mailbox)
