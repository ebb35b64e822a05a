"""The phone provider behind a small interface (PHONE-06): signed webhooks, its REST API for
recordings and photos, texts and calls. Twilio's is the first, through the official package;
another provider is another class with these four methods."""

from __future__ import annotations

import base64
import logging
import urllib.error
import urllib.request
from typing import Any, Protocol

from django.conf import settings
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from switchboard.phone.models import PhoneNumber

log = logging.getLogger(__name__)


class ProviderError(Exception):
    """The provider's API did not do what was asked (unreachable, refused, not found)."""


class Provider(Protocol):
    def validate(self, url: str, params: dict[str, str], signature: str) -> bool:
        """Whether ``signature`` is the provider's for a request to ``url`` with these form parameters."""

    def fetch(self, url: str) -> tuple[bytes, str]:
        """The bytes and content type of a recording or a photo at the provider."""

    def send_sms(self, from_: str, to: str, body: str, status_callback: str) -> str:
        """Send a text; returns the provider's id of the message."""

    def place_call(self, from_: str, to: str, url: str, status_callback: str) -> str:
        """Ring ``to``; the provider asks ``url`` what to do when it answers. Returns the call's id."""


class TwilioProvider:
    """Twilio's API at PHONE_API_URL, with the account SID and auth token of one of our numbers."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token

    def validate(self, url: str, params: dict[str, str], signature: str) -> bool:
        return bool(signature) and RequestValidator(self.auth_token).validate(url, params, signature)

    def fetch(self, url: str) -> tuple[bytes, str]:
        if not url.startswith(settings.PHONE_API_URL + "/"):  # the account's credentials go nowhere else
            raise ProviderError(f"Not a URL of the provider's API: {url}")
        request = urllib.request.Request(url)  # noqa: S310 - checked above: the provider's https (or test) URL
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request.add_unredirected_header("Authorization", f"Basic {credentials}")  # not to where it redirects
        try:
            with urllib.request.urlopen(request, timeout=settings.PHONE_API_TIMEOUT) as response:  # noqa: S310
                return response.read(), response.headers.get_content_type()
        except (urllib.error.URLError, OSError) as error:
            raise ProviderError(f"Cannot fetch {url}: {error}") from error

    def send_sms(self, from_: str, to: str, body: str, status_callback: str) -> str:
        try:
            message = self._account().messages.create(to=to, from_=from_, body=body, status_callback=status_callback)
        except TwilioException as error:
            raise ProviderError(str(error)) from error
        return str(message.sid)

    def place_call(self, from_: str, to: str, url: str, status_callback: str) -> str:
        try:
            call = self._account().calls.create(
                to=to,
                from_=from_,
                url=url,
                status_callback=status_callback,
                status_callback_event=["answered", "completed"],
            )
        except TwilioException as error:
            raise ProviderError(str(error)) from error
        return str(call.sid)

    def _account(self) -> Any:  # twilio's AccountContext
        client = Client(
            self.account_sid, self.auth_token, http_client=TwilioHttpClient(timeout=settings.PHONE_API_TIMEOUT)
        )
        client.api.base_url = settings.PHONE_API_URL
        return client.api.v2010.accounts(self.account_sid)


def provider_for(number: PhoneNumber) -> Provider:
    """The provider of one of our numbers."""
    return TwilioProvider(number.account_sid, number.auth_token)
