"""Sending one delivery: claimed with a conditional UPDATE (two workers never send it at once),
posted outside any transaction with a short timeout and no redirects, to the address checked
against the endpoint's rule at this moment; then recorded. A failure (network, timeout, a
refused address, any answer but 2xx) is tried again after BACKOFF; after the last it fails."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.webhooks.addresses import AddressRefusedError, IPAddress, resolve, split_url
from switchboard.webhooks.models import WebhookDelivery, WebhookEndpoint
from switchboard.webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature

# The waits between attempts: the first try at once, then these; after the last, failed (about 3 days).
BACKOFF = [
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
    dt.timedelta(hours=24),
    dt.timedelta(hours=24),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
CLAIM = dt.timedelta(minutes=2)  # a claimed delivery whose worker died is tried again after this
EXCERPT_CHARS = 200  # of the receiver's answer, kept with the delivery


@dataclass(frozen=True)
class Answer:
    code: int
    excerpt: str


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address checked, sends the URL's host name in the Host header."""

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self._address), self.port or 80), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((str(self._address), self.port or 443), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def post(endpoint: WebhookEndpoint, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to the endpoint; raises AddressRefusedError or OSError (network, timeout)."""
    scheme, host, port = split_url(endpoint.url)
    address = resolve(endpoint.url, allow_private=endpoint.allow_private_address)
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, port, address=address, timeout=settings.WEBHOOK_TIMEOUT)
    parts = urlsplit(endpoint.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_CHARS * 4).decode("utf-8", "replace")[:EXCERPT_CHARS]
        return Answer(response.status, excerpt)
    finally:
        connection.close()


def explain(failure: Exception) -> str:
    """What went wrong, in words an administrator reads in the log."""
    if isinstance(failure, TimeoutError):
        return _("No answer within %(seconds)s seconds.") % {"seconds": settings.WEBHOOK_TIMEOUT}
    if isinstance(failure, ConnectionRefusedError):
        return _("The receiver refused the connection (nothing listens at that address and port).")
    if isinstance(failure, ssl.SSLError):
        return _("The secure connection failed: %(reason)s") % {"reason": failure}
    if isinstance(failure, http.client.HTTPException):
        return _("The receiver's answer was not HTTP.")
    return _("Network error: %(reason)s") % {"reason": failure}


def headers_for(delivery: WebhookDelivery, *, body: bytes, secret: str, now: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Switchboard-Webhooks/1",
        SIGNATURE_HEADER: signature(secret, timestamp=now, body=body),
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.pk),
    }


def _claim(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    """The delivery's own columns are the condition of the UPDATE itself, which PostgreSQL checks
    again on the row a concurrent claim has just changed. (A condition through a join, such as
    ``endpoint__active``, makes Django write ``id IN (SELECT …)``, evaluated once, before the
    wait: two claims then both succeeded.)"""
    claimed = WebhookDelivery.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
        pk=delivery_id,
        status=WebhookDelivery.Status.PENDING,
        endpoint_id__in=WebhookEndpoint.objects.filter(active=True).values("pk"),
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM, last_attempt_at=now)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def do_send_delivery(delivery_id: int) -> WebhookDelivery | None:
    """Send one due delivery; None if it is not due, already sent, or its endpoint is off."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    body = body_of(delivery)
    started = time.monotonic()
    code: int | None = None
    error = ""
    try:
        answer = post(
            delivery.endpoint,
            body=body,
            headers=headers_for(delivery, body=body, secret=delivery.endpoint.secret, now=int(now.timestamp())),
        )
        code = answer.code
        if not 200 <= code < 300:  # noqa: PLR2004
            said = answer.excerpt.strip()
            error = f"HTTP {code}: {said}" if said else f"HTTP {code}"
    except AddressRefusedError as refused:
        error = str(refused)
    except (OSError, http.client.HTTPException) as failure:
        error = explain(failure)
    duration = round((time.monotonic() - started) * 1000)
    _record(delivery, code=code, error=error, duration=duration)
    return delivery


@transaction.atomic
def _record(delivery: WebhookDelivery, *, code: int | None, error: str, duration: int) -> None:
    now = timezone.now()
    values: dict[str, Any] = {"response_code": code, "duration_ms": duration, "last_error": error[:500]}
    endpoint = WebhookEndpoint.objects.filter(pk=delivery.endpoint_id)
    if not error:
        values |= {"status": WebhookDelivery.Status.SENT, "next_attempt_at": None}
        endpoint.exclude(failing_since=None).update(failing_since=None)
    elif delivery.attempts >= MAX_ATTEMPTS:
        values |= {"status": WebhookDelivery.Status.FAILED, "next_attempt_at": None}
    else:
        values |= {"next_attempt_at": now + BACKOFF[delivery.attempts - 1]}
    if error:
        endpoint.filter(failing_since=None).update(failing_since=now)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**values)
    for name, value in values.items():
        setattr(delivery, name, value)


def due_deliveries(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries whose time has come (a retry's, or a claim whose worker died)."""
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now or timezone.now(), endpoint__active=True
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
