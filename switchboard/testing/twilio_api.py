"""A local stand-in of Twilio's REST API, for tests only: it stands in for the cloud service,
never for our code. It serves Twilio's documented paths under /2010-04-01/Accounts/{AccountSid}/
with HTTP basic auth (account SID and auth token, 401 and Twilio's error JSON otherwise):

- GET Recordings/{RecordingSid}[.wav|.mp3] — a recording's audio (WAV without an extension);
- GET Messages/{MessageSid}/Media/{MediaSid} — an MMS photo;
- POST Messages.json — send a text (201 and the message resource);
- POST Calls.json — place a call (201 and the call resource).

Tests add accounts, recordings and media, make the next requests fail, and read what it was
asked (``requests``, ``messages``, ``calls``). Also here: signing a webhook request exactly as
Twilio does, for the Django test client.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from twilio.request_validator import RequestValidator

if TYPE_CHECKING:
    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse

API = "/2010-04-01/Accounts/"
RECORDING = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Recordings/(RE\w+?)(\.wav|\.mp3)?$")
MEDIA = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages/(MM\w+)/Media/(ME\w+)$")
CREATE = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/(Messages|Calls)\.json$")


@dataclass
class StandInRequest:
    method: str
    path: str
    account_sid: str  # from the basic auth it carried, "" without
    form: dict[str, str]


@dataclass
class TwilioStandIn:
    url: str = ""
    accounts: dict[str, str] = field(default_factory=dict)  # account SID → auth token
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # path → (bytes, content type)
    failures_left: int = 0  # the next so many requests are answered 500, as a provider's bad moment
    requests: list[StandInRequest] = field(default_factory=list)
    messages: list[dict[str, str]] = field(default_factory=list)
    calls: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.accounts.clear()
            self.files.clear()
            self.requests.clear()
            self.messages.clear()
            self.calls.clear()
            self.failures_left = 0

    def add_recording(self, account_sid: str, recording_sid: str, audio: bytes) -> str:
        """Keep a recording; returns its RecordingUrl as Twilio's callbacks name it (no extension)."""
        path = f"{API}{account_sid}/Recordings/{recording_sid}"
        self.files[path] = (audio, "audio/x-wav")
        return self.url + path

    def add_media(self, account_sid: str, message_sid: str, content: bytes, content_type: str) -> str:
        """Keep an MMS photo; returns its MediaUrl."""
        path = f"{API}{account_sid}/Messages/{message_sid}/Media/ME{secrets.token_hex(16)}"
        self.files[path] = (content, content_type)
        return self.url + path

    def answer(self, method: str, path: str, authorization: str, form: dict[str, str]) -> tuple[int, str, bytes]:
        account_sid = self._authenticated(authorization)
        with self.lock:
            self.requests.append(StandInRequest(method, path, account_sid or "", form))
            if self.failures_left > 0:
                self.failures_left -= 1
                return _error(500, 20500, "Internal Server Error")
        match = RECORDING.match(path) or MEDIA.match(path) or CREATE.match(path)
        if match is None:
            return _error(404, 20404, "The requested resource was not found")
        if account_sid is None or account_sid != match.group(1):
            return _error(401, 20003, "Authenticate")
        if method == "GET" and not CREATE.match(path):
            found = self.files.get(RECORDING.sub(lambda m: f"{API}{m[1]}/Recordings/{m[2]}", path))
            if found is None:
                return _error(404, 20404, "The requested resource was not found")
            return 200, found[1], found[0]
        if method == "POST" and (create := CREATE.match(path)):
            return self._create(account_sid, create.group(2), form)
        return _error(405, 20004, "Method not allowed")

    def _authenticated(self, authorization: str) -> str | None:
        scheme, _space, encoded = authorization.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            sid, _colon, token = base64.b64decode(encoded).decode().partition(":")
        except ValueError:
            return None
        known = self.accounts.get(sid)
        return sid if known is not None and secrets.compare_digest(known, token) else None

    def _create(self, account_sid: str, kind: str, form: dict[str, str]) -> tuple[int, str, bytes]:
        if not form.get("To") or not form.get("From"):
            return _error(400, 21604, "A 'To' and a 'From' phone number are required.")
        prefix, status = ("SM", "queued") if kind == "Messages" else ("CA", "queued")
        sid = prefix + secrets.token_hex(16)
        resource = {"sid": sid, "account_sid": account_sid, "to": form["To"], "from": form["From"], "status": status}
        with self.lock:
            (self.messages if kind == "Messages" else self.calls).append({"sid": sid, **form})
        if kind == "Messages":
            resource |= {"body": form.get("Body", ""), "num_segments": "1", "direction": "outbound-api"}
        return 201, "application/json", json.dumps(resource).encode()


def _error(status: int, code: int, message: str) -> tuple[int, str, bytes]:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return status, "application/json", json.dumps(body).encode()


def start_twilio_stand_in() -> tuple[TwilioStandIn, ThreadingHTTPServer]:
    stand_in = TwilioStandIn()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode())) if length else {}
            status, content_type, body = stand_in.answer(
                method, urlsplit(self.path).path, self.headers.get("Authorization", ""), form
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self._reply("GET")

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            self._reply("POST")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return stand_in, server


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """The X-Twilio-Signature Twilio sends with a webhook request to ``url`` with these form parameters."""
    return str(RequestValidator(auth_token).compute_signature(url, params))


def post_signed(
    client: Client, path: str, params: dict[str, str], *, auth_token: str, signature: str | None = None
) -> _MonkeyPatchedWSGIResponse:
    """POST a webhook to ``path`` with the Django test client, signed as Twilio signs it for
    SITE_URL + path (``signature`` instead, to forge one; "" sends none)."""
    if signature is None:
        signature = twilio_signature(auth_token, settings.SITE_URL + path, params)
    headers = {"X-Twilio-Signature": signature} if signature else {}
    return client.post(path, params, headers=headers)
