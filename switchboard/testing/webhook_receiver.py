"""A real HTTP receiver for outbound webhooks, on 127.0.0.1 in a thread: it keeps what it was
sent and answers with the codes it is told to (200 when told nothing)."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    answers: deque[int] = field(default_factory=deque)
    always: int = 200
    error_body: bytes = b"Internal trouble: the receiver's database is down"  # with a code of 300 or more

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/switchboard"

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def next_code(self) -> int:
        return self.answers.popleft() if self.answers else self.always


def start_webhook_receiver() -> WebhookReceiver:
    holder: list[WebhookReceiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 -- http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            receiver = holder[0]
            receiver.received.append(Received(self.path, dict(self.headers.items()), self.rfile.read(length)))
            code = receiver.next_code()
            body = b"ok" if code < 300 else receiver.error_body
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 -- quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder.append(WebhookReceiver(server=server))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return holder[0]
