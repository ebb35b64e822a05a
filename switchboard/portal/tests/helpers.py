"""Helpers of the customer portal's tests."""

from __future__ import annotations

from django.conf import settings

from switchboard.contacts.models import ContactPoint
from switchboard.portal.actions import do_create_sign_in_link
from switchboard.tickets.files import do_attach_file
from switchboard.tickets.models import Activity, ActivityKind, Attachment, Ticket


def path_of(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


def sign_in_as(client, contact) -> None:  # type: ignore[no-untyped-def]
    """Through a real sign-in link, as if it had been emailed."""
    point = ContactPoint.objects.filter(contact=contact, kind=ContactPoint.Kind.EMAIL).first()
    response = client.post(path_of(do_create_sign_in_link(point)))
    assert response.status_code == 302, response.content.decode()


def message(ticket: Ticket, text: str, *, kind: str = ActivityKind.EMAIL_IN, file: str = "") -> Attachment | None:
    activity = Activity.objects.create(ticket=ticket, kind=kind, body=text)
    if not file:
        return None
    return do_attach_file(activity, filename=file, content_type="application/pdf", content=b"%PDF " + file.encode())
