"""Who is making the changes now: the signed-in user and their address during a request
(set by ``AuditMiddleware``), else the system (a job, the command line)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from axes.helpers import get_client_ip_address  # type: ignore[import-untyped]
from django.http import HttpRequest, HttpResponse

from switchboard.audit.models import SYSTEM


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    address: str


_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
_fixed: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)


def request_address(request: HttpRequest) -> str:
    """The client's address as django-axes reads it (REMOTE_ADDR unless its proxy settings say
    otherwise), the same address the sign-in lockouts count."""
    return str(get_client_ip_address(request) or "") or "-"


def current_actor() -> Actor:
    if (fixed := _fixed.get()) is not None:
        return fixed
    request = _request.get()
    if request is None:
        return Actor(None, "", SYSTEM)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Actor(user.pk, user.get_username(), request_address(request))
    return Actor(None, "", request_address(request))


@contextmanager
def acting_request(request: HttpRequest) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextmanager
def acting_as(user: Any, *, address: str) -> Iterator[None]:
    """Changes made inside are recorded as ``user``'s from ``address`` (the demo data's people)."""
    token = _fixed.set(Actor(user.pk, user.get_username(), address))
    try:
        yield
    finally:
        _fixed.reset(token)


class AuditMiddleware:
    """Makes the request's user and address known to the recorder for the request's changes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_request(request):
            return self.get_response(request)
