"""A small OAuth2 provider for tests, standing in for Microsoft's and Google's sign-in services.

It speaks their documented protocol: /authorize (authorization code with PKCE; it approves at
once, signing in as the ``login_hint``), /token (the authorization_code and refresh_token grants,
short-lived access tokens, refresh tokens that are replaced at each use, as Microsoft does) and
/introspect (RFC 7662, for Dovecot's oauth2 passdb: is this access token active, and whose is it).
Any path ending in one of those names is served, so a Microsoft URL with its tenant fits too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit


@dataclass
class AuthorizationCode:
    user: str
    client_id: str
    redirect_uri: str
    code_challenge: str


@dataclass
class OAuth2Provider:
    url: str = ""
    clients: dict[str, str] = field(default_factory=dict)  # client id → secret
    access_token_lifetime: int = 3600
    codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    access_tokens: dict[str, tuple[str, float]] = field(default_factory=dict)  # token → (user, expires at)
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # token → user
    refreshes: int = 0  # refresh_token grants answered with a new access token
    authorize_paths: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.clients.clear()
            self.codes.clear()
            self.access_tokens.clear()
            self.refresh_tokens.clear()
            self.authorize_paths.clear()
            self.refreshes = 0
            self.access_token_lifetime = 3600

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access_tokens = {token: (user, 0.0) for token, (user, _expires) in self.access_tokens.items()}

    def revoke(self, user: str) -> None:
        """The user (or their administrator) withdrew the consent: every token of theirs stops working."""
        with self.lock:
            self.access_tokens = {t: grant for t, grant in self.access_tokens.items() if grant[0] != user}
            self.refresh_tokens = {t: owner for t, owner in self.refresh_tokens.items() if owner != user}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if query.get("client_id") not in self.clients or query.get("response_type") != "code":
            return 400, {}, b"unknown client or response type"
        if not query.get("login_hint") or not query.get("redirect_uri"):
            return 400, {}, b"this provider signs in as the login_hint, and needs the redirect_uri"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return 400, {}, b"PKCE (S256) is required"
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = AuthorizationCode(
                query["login_hint"], query["client_id"], query["redirect_uri"], query["code_challenge"]
            )
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        return 302, {"Location": location}, b""

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        if self.clients.get(form.get("client_id", "")) != form.get("client_secret"):
            return 401, {"error": "invalid_client", "error_description": "The client secret is wrong."}
        with self.lock:
            if form.get("grant_type") == "authorization_code":
                code = self.codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "").encode()
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
                if code is None or code.redirect_uri != form.get("redirect_uri") or code.code_challenge != challenge:
                    return 400, {"error": "invalid_grant", "error_description": "The code is not valid."}
                user = code.user
            elif form.get("grant_type") == "refresh_token":
                owner = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
                if owner is None:
                    return 400, {"error": "invalid_grant", "error_description": "The refresh token was revoked."}
                user = owner
                self.refreshes += 1
            else:
                return 400, {"error": "unsupported_grant_type"}
            access_token, refresh_token = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
            self.access_tokens[access_token] = (user, time.time() + self.access_token_lifetime)
            self.refresh_tokens[refresh_token] = user
        return 200, {
            "token_type": "Bearer",
            "access_token": access_token,
            "expires_in": self.access_token_lifetime,
            "refresh_token": refresh_token,
        }

    def introspect(self, form: dict[str, str]) -> dict[str, object]:
        with self.lock:
            user, expires_at = self.access_tokens.get(form.get("token", ""), ("", 0.0))
        if not user or expires_at < time.time():
            return {"active": False}
        return {"active": True, "username": user}


class _Handler(BaseHTTPRequestHandler):
    provider: OAuth2Provider  # set on the subclass each server gets

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        if not url.path.endswith("/authorize"):
            return self._answer(404, {}, b"")
        self.provider.authorize_paths.append(url.path)
        return self._answer(*self.provider.authorize(dict(parse_qsl(url.query))))

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        form = dict(parse_qsl(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()))
        if path.endswith("/token"):
            status, body = self.provider.token(form)
        elif path.endswith("/introspect"):
            status, body = 200, self.provider.introspect(form)
        else:
            return self._answer(404, {}, b"")
        return self._answer(status, {"Content-Type": "application/json"}, json.dumps(body).encode())

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def start_oauth2_provider() -> tuple[OAuth2Provider, ThreadingHTTPServer]:
    provider = OAuth2Provider()
    handler = type("Handler", (_Handler,), {"provider": provider})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return provider, server
