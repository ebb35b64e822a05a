"""Who a request is: the personal API token in ``Authorization: Bearer <token>``. The token's
user becomes ``request.user``, so every read and write below asks the same permission helper
as the pages. Each request is counted against the token's limit; a read-only token is refused
every method but GET, HEAD and OPTIONS, before any route runs."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from switchboard.api.errors import ApiError
from switchboard.api.models import ApiToken
from switchboard.api.tokens import count_request, get_token_user

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        api_token = get_token_user(token)  # TokenRefusedError: 401
        if wait := count_request(api_token):
            raise ApiError(
                429,
                "rate_limited",
                _("Too many requests with this token; try again in %(seconds)s seconds.") % {"seconds": wait},
                headers={"Retry-After": str(wait)},
            )
        if request.method not in SAFE_METHODS and not api_token.can_write:
            raise ApiError(403, "insufficient_scope", _("This API token may only read."))
        request.user = api_token.user
        return api_token


def user_of(request: HttpRequest) -> User:
    """The user whose token made this request (routes run only after TokenAuth let it in)."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return token.user
