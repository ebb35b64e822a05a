"""Personal API tokens (API-01): made, recognised, counted and revoked here only.

A token reads ``sb_<prefix>_<secret>``: 8 characters of public prefix to find the row, 32 bytes
of random secret. The database keeps the prefix and the SHA-256 of the whole token, never the
token: it is shown once, on the page that made it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.api.models import ApiToken

TOKEN_START = "sb_"  # noqa: S105 (the tokens' visible start, not a secret)
PREFIX_LENGTH = 8
# How long a new token lasts, as offered on the settings page (days; 0: until revoked).
EXPIRY_CHOICES = (30, 90, 365, 0)


class TokenRefusedError(Exception):
    """The request's token is missing, unknown, expired or revoked (HTTP 401)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    plain: str  # the only time the whole token exists: shown once, never stored


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


@transaction.atomic
def do_create_api_token(
    user: User, *, name: str, scope: ApiToken.Scope, expires_in_days: int, acting_user: User
) -> NewToken:
    """A new token for ``user`` (who makes their own). ``expires_in_days`` 0: until revoked."""
    if acting_user.pk != user.pk:
        raise PermissionError(_("Only the person themselves makes their API tokens."))
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    while ApiToken.objects.filter(prefix=prefix).exists():  # 4 billion prefixes: once in a long while
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    plain = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or _("API token"),
        prefix=prefix,
        secret_hash=hash_token(plain),
        scope=scope,
        expires_at=expires_at,
    )
    return NewToken(token=token, plain=plain)


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, acting_user: User) -> ApiToken:
    """Revoke one of the person's own tokens: every request with it is refused from now on."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk, user_id=acting_user.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def list_api_tokens(user: User) -> QuerySet[ApiToken]:
    """The person's tokens, newest first, the revoked ones too (their history)."""
    return ApiToken.objects.filter(user=user)


def find_api_token(user: User, *, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=token_id).first()


def get_token_user(plain: str) -> ApiToken:
    """The active token this string is, with its user; TokenRefusedError says why not."""
    start, _sep, rest = plain.partition(TOKEN_START)
    prefix, _sep, secret = rest.partition("_")
    if start or len(prefix) != PREFIX_LENGTH or not secret:
        raise TokenRefusedError("invalid_token", _("The API token is not valid."))
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(plain)):
        raise TokenRefusedError("invalid_token", _("The API token is not valid."))
    if token.revoked_at is not None:
        raise TokenRefusedError("token_revoked", _("This API token was revoked."))
    if token.expires_at is not None and token.expires_at <= timezone.now():
        raise TokenRefusedError("token_expired", _("This API token has expired."))
    if not token.user.is_active:
        raise TokenRefusedError("invalid_token", _("The API token is not valid."))
    return token


def count_request(token: ApiToken, *, now: dt.datetime | None = None) -> int:
    """Count a request against the token's limit for the current minute and note it as the
    token's last use. Returns 0 when within the limit, else the seconds until the next minute.

    Conditional UPDATEs on the token's row, so that several web processes count together: one
    raises the count of the current minute while it is under the limit, another starts a new
    minute. Between two processes starting the same minute, the loser tries the first again."""
    now = now or timezone.now()
    window = now.replace(second=0, microsecond=0)
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    row = ApiToken.objects.filter(pk=token.pk)
    within = row.filter(window_start=window, window_count__lt=limit)
    for _attempt in range(2):
        if within.update(window_count=F("window_count") + 1, last_used_at=now):
            return 0
        started = row.filter(Q(window_start__isnull=True) | ~Q(window_start=window))
        if started.update(window_start=window, window_count=1, last_used_at=now):
            return 0
    return max(1, 60 - now.second)
