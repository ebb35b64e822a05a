"""The customer portal's sign-in on its pages (SELF-03); who is signed in is read by
``contacts.sessions``, which the live chat shares."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation

from switchboard.contacts.models import Contact
from switchboard.contacts.sessions import SESSION_KEY, SignIn, contact_signed_in, remember_sign_in


class PortalRequest(HttpRequest):
    contact: Contact
    contact_address: str


def sign_in(request: HttpRequest, sign_in: SignIn) -> None:
    request.session.cycle_key()  # a new session id: one planted before the sign-in is worth nothing
    remember_sign_in(request.session, sign_in)


def sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def signed_in(request: HttpRequest) -> SignIn | None:
    """The contact signed in to the portal, if any (one query)."""
    return contact_signed_in(request.session)


def portal_sign_in_url(next_path: str) -> str:
    return reverse("portal_sign_in") + "?" + urlencode({"next": next_path})


def contact_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Only for a signed-in contact, in their language (else the browser's): anyone else is sent
    to the sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        current = signed_in(request)
        if current is None:
            return HttpResponseRedirect(portal_sign_in_url(request.get_full_path()))
        request.contact, request.contact_address = current.contact, current.address  # type: ignore[attr-defined]
        with translation.override(current.contact.language or translation.get_language()):
            return view(request, *args, **kwargs)

    return wrapper
