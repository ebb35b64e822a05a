"""The signature a receiver checks (docs/webhooks.md): HMAC-SHA256 with the endpoint's secret
over ``"<unix time>.<body>"``, sent as ``Switchboard-Signature: t=<unix time>,v1=<hex>``."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Switchboard-Signature"
EVENT_HEADER = "Switchboard-Event"
DELIVERY_HEADER = "Switchboard-Delivery"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, *, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, *, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (the tests' receiver uses it): the newest time within ``tolerance``
    seconds and a matching ``v1``."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    expected = signature(secret, timestamp=timestamp, body=body).split("v1=", 1)[1]
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected, fields.get("v1", ""))
