"""Tokens and calls for the API's tests."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpResponse as Response
from django.test import Client

from switchboard.api.models import ApiToken
from switchboard.api.tokens import do_create_api_token


def make_token(user: User, *, scope: str = "write", days: int = 30) -> str:
    return do_create_api_token(
        user, name=f"{scope} token", scope=ApiToken.Scope(scope), expires_in_days=days, acting_user=user
    ).plain


def call(client: Client, method: str, path: str, token: str | None, body: Any = None, **query: Any) -> Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method.upper() == "GET":
        return client.get(path, query, headers=headers)
    return client.generic(
        method.upper(),
        path,
        json.dumps(body if body is not None else {}),
        content_type="application/json",
        headers=headers,
    )
