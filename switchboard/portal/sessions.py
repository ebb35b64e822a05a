"""Who is signed in to the customer portal (SELF-03). A contact is no Django user: the session
holds the contact and the address they signed in with, under a key of its own, beside (never
instead of) an agent's sign-in. The contact stays signed in while that address is still theirs
(an agent who removes a wrong address from a contact ends that person's portal session)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.selectors import resolve_merged
from switchboard.portal.actions import SignIn

SESSION_KEY = "portal_contact"


class PortalRequest(HttpRequest):
    contact: Contact
    contact_address: str


def sign_in(request: HttpRequest, sign_in: SignIn) -> None:
    request.session.cycle_key()  # a new session id: one planted before the sign-in is worth nothing
    request.session[SESSION_KEY] = {"contact": sign_in.contact.pk, "address": sign_in.address}


def sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def signed_in(request: HttpRequest) -> SignIn | None:
    """The contact signed in to the portal, if any (one query)."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    point = (
        ContactPoint.objects.select_related("contact")
        .filter(kind=ContactPoint.Kind.EMAIL, value=data.get("address"), contact__erased_at__isnull=True)
        .first()
    )
    if point is None:
        return None
    contact_id = int(data.get("contact") or 0)
    if point.contact_id != contact_id:  # the contact was merged into the address's contact
        contact = Contact.objects.filter(pk=contact_id).first()
        if contact is None or resolve_merged(contact).pk != point.contact_id:
            return None
        request.session[SESSION_KEY] = {"contact": point.contact_id, "address": point.value}
    return SignIn(point.contact, point.value)


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
