"""Mailboxes that sign in with OAuth2 (MAIL-01): Microsoft 365 and Gmail have switched basic
authentication off, so IMAP and POP3 sign in with XOAUTH2 and an access token.

An administrator enters the app registered at the provider (client ID and secret, and for
Microsoft the tenant) and connects the account once in the admin: the authorization-code flow
with PKCE (``start_sign_in``, then ``finish_sign_in`` in the callback). The refresh token it gives
is stored encrypted, and before each connection an access token that expires within a minute is
replaced with it (``xoauth2_response``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.mail.models import Mailbox

REFRESH_BEFORE_EXPIRY = dt.timedelta(seconds=60)


class OAuth2Error(Exception):
    """The provider refused us or could not be reached; the message is in plain words."""


@dataclass(frozen=True)
class Provider:
    name: str
    authorize_url: str
    token_url: str
    scope: str
    authorize_params: dict[str, str] = field(default_factory=dict)


def provider_of(mailbox: Mailbox) -> Provider:
    """Where and with which scopes the mailbox's account signs in (the URLs come from settings)."""
    if mailbox.auth_method == Mailbox.AuthMethod.MICROSOFT:
        tenant = quote(mailbox.oauth_tenant or "common", safe="")
        return Provider(
            name="Microsoft 365",
            authorize_url=settings.OAUTH2_MICROSOFT_AUTHORIZE_URL.format(tenant=tenant),
            token_url=settings.OAUTH2_MICROSOFT_TOKEN_URL.format(tenant=tenant),
            scope="https://outlook.office.com/IMAP.AccessAsUser.All "
            "https://outlook.office.com/POP.AccessAsUser.All offline_access",
        )
    if mailbox.auth_method == Mailbox.AuthMethod.GOOGLE:
        return Provider(
            name="Google",
            authorize_url=settings.OAUTH2_GOOGLE_AUTHORIZE_URL,
            token_url=settings.OAUTH2_GOOGLE_TOKEN_URL,
            scope="https://mail.google.com/",
            # A refresh token is given only for offline access, and again only with a new consent.
            authorize_params={"access_type": "offline", "prompt": "consent"},
        )
    raise ValueError(f"{mailbox} signs in with a password")


@dataclass(frozen=True)
class SignIn:
    """A sign-in under way: the provider's page to send the administrator to, the state the
    callback must bring back, and the PKCE verifier that proves the code is ours."""

    url: str
    state: str
    code_verifier: str


def start_sign_in(mailbox: Mailbox, *, redirect_uri: str) -> SignIn:
    provider = provider_of(mailbox)
    state, code_verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "client_id": mailbox.oauth_client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": provider.scope,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "login_hint": mailbox.username,
        **provider.authorize_params,
    }
    return SignIn(url=f"{provider.authorize_url}?{urlencode(query)}", state=state, code_verifier=code_verifier)


def finish_sign_in(mailbox: Mailbox, *, code: str, code_verifier: str, redirect_uri: str) -> None:
    """Exchange the code the provider sent back for tokens, and store them."""
    answer = _token_request(
        mailbox,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        },
    )
    if not answer.get("refresh_token"):
        raise OAuth2Error(
            _("%(provider)s gave no refresh token: was the offline access scope refused?")
            % {"provider": provider_of(mailbox).name}
        )
    _store_tokens(mailbox, answer)


def xoauth2_response(mailbox: Mailbox) -> bytes:
    """What IMAP's and POP3's AUTHENTICATE XOAUTH2 send, with an access token valid for at least
    another minute (refreshed first if need be)."""
    if not mailbox.oauth_refresh_token_encrypted:
        raise OAuth2Error(
            _("The mailbox is not connected to %(provider)s yet: use “Connect the account” on its page.")
            % {"provider": provider_of(mailbox).name}
        )
    expires_at = mailbox.oauth_access_token_expires_at
    if expires_at is None or expires_at - timezone.now() < REFRESH_BEFORE_EXPIRY:
        refresh = {
            "grant_type": "refresh_token",
            "refresh_token": mailbox.oauth_refresh_token,
            "scope": provider_of(mailbox).scope,  # Microsoft wants it again; Google accepts it
        }
        _store_tokens(mailbox, _token_request(mailbox, refresh))
    return f"user={mailbox.username}\x01auth=Bearer {mailbox.oauth_access_token}\x01\x01".encode()


def _store_tokens(mailbox: Mailbox, answer: dict[str, Any]) -> None:
    mailbox.oauth_access_token = answer["access_token"]
    mailbox.oauth_access_token_expires_at = timezone.now() + dt.timedelta(seconds=int(answer.get("expires_in", 3600)))
    if answer.get("refresh_token"):  # Microsoft gives a new one with every refresh, Google does not
        mailbox.oauth_refresh_token = answer["refresh_token"]
    mailbox.save(
        update_fields=[
            "oauth_access_token_encrypted",
            "oauth_access_token_expires_at",
            "oauth_refresh_token_encrypted",
            "updated_at",
        ]
    )


def _token_request(mailbox: Mailbox, form: dict[str, str]) -> dict[str, Any]:
    """POST to the provider's token endpoint; its answer, or OAuth2Error in plain words."""
    provider = provider_of(mailbox)
    form = {**form, "client_id": mailbox.oauth_client_id, "client_secret": mailbox.oauth_client_secret}
    request = urllib.request.Request(  # noqa: S310 - the token URL from settings (https, or a test server)
        provider.token_url, data=urlencode(form).encode(), headers={"Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.MAILBOX_TIMEOUT) as response:  # noqa: S310 - as above
            answer: dict[str, Any] = json.load(response)
    except urllib.error.HTTPError as error:
        try:
            refusal = json.load(error)
        except ValueError:
            refusal = {}
        raise OAuth2Error(_refusal_in_plain_words(provider, form["grant_type"], refusal, error)) from error
    except (OSError, ValueError) as error:
        raise OAuth2Error(
            _("%(provider)s's sign-in service could not be reached: %(reason)s")
            % {"provider": provider.name, "reason": getattr(error, "reason", error)}
        ) from error
    if not isinstance(answer.get("access_token"), str):
        raise OAuth2Error(_("%(provider)s answered without an access token.") % {"provider": provider.name})
    return answer


def _refusal_in_plain_words(
    provider: Provider, grant_type: str, refusal: dict[str, Any], error: urllib.error.HTTPError
) -> str:
    code = refusal.get("error", "")
    # Microsoft's descriptions go on with trace and correlation IDs: the first line says it.
    reason = str(refusal.get("error_description") or code or error).splitlines()[0]
    if grant_type == "refresh_token" and code == "invalid_grant":
        return _("The sign-in to %(provider)s has expired or was revoked; connect the account again.") % {
            "provider": provider.name
        }
    if code == "invalid_client":
        return _("%(provider)s refused the client ID or secret: %(reason)s") % {
            "provider": provider.name,
            "reason": reason,
        }
    return _("%(provider)s refused the sign-in: %(reason)s") % {"provider": provider.name, "reason": reason}
