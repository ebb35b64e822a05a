"""Never anyone else's (SELF-03): every URL of the portal, walked as another contact (Maria,
signed in) and as an anonymous visitor, with Jan's ticket numbers, file ids and links. Nothing
of Jan's shows: not found, or the sign-in page, and his data nowhere in the response."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core import signing
from django.urls import URLPattern, reverse

from switchboard.portal import account_urls, urls
from switchboard.portal.links import SALT, ticket_token
from switchboard.portal.tests.helpers import sign_in_as
from switchboard.tickets.models import Activity, ActivityKind, Attachment

JANS_DATA = ["Jan's secret bank transfer question", "jan-statement.pdf", "jan-internal.pdf", "VIP donor", "Kowalski"]


@dataclass(frozen=True)
class Visit:
    name: str
    args: list[object]
    method: str = "get"


def visits(marias_ticket, jans_ticket) -> list[Visit]:  # type: ignore[no-untyped-def]
    jans_file = Attachment.objects.get(filename="jan-statement.pdf")
    jans_internal = Attachment.objects.get(filename="jan-internal.pdf")
    jan, maria = jans_ticket.number, marias_ticket.number
    forged = signing.dumps([jans_ticket.pk, "guessed-key"], salt=SALT)
    return [
        Visit("portal_home", []),
        Visit("portal_new_ticket", []),
        Visit("portal_new_ticket", [], "post"),
        Visit("portal_contact_ticket", [jan]),
        Visit("portal_contact_ticket", [jan], "post"),
        Visit("portal_contact_file", [jan, jans_file.pk]),
        Visit("portal_contact_file", [maria, jans_file.pk]),  # her ticket, his file
        Visit("portal_contact_file", [jan, jans_internal.pk]),
        Visit("portal_contact_file", [maria, jans_internal.pk]),
        Visit("portal_sign_in", []),
        Visit("portal_sign_in_link", ["jans-guessed-token"]),
        Visit("portal_sign_in_link", ["jans-guessed-token"], "post"),
        Visit("portal_sign_out", [], "post"),
        Visit("portal_ticket", [forged]),  # his ticket, with a made-up key
        Visit("portal_ticket", [signing.dumps(jans_ticket.pk, salt="another salt")]),
        Visit("portal_ticket", [str(jan)]),
        Visit("portal_file", [ticket_token(marias_ticket), jans_file.pk]),  # her link, his file
        Visit("portal_file", [forged, jans_file.pk]),
    ]


def assert_every_url_is_walked(walked: list[Visit]) -> None:
    names = {
        pattern.name for pattern in [*account_urls.urlpatterns, *urls.urlpatterns] if isinstance(pattern, URLPattern)
    }
    assert names == {visit.name for visit in walked}, "a portal URL the walk does not try"


def walk(client, walked: list[Visit], *, before=lambda: None) -> list[tuple[Visit, int]]:  # type: ignore[no-untyped-def]
    seen = []
    for visit in walked:
        before()
        data = {"text": "Let me in", "subject": "x", "topic": "g1"} if visit.method == "post" else None
        response = getattr(client, visit.method)(reverse(visit.name, args=visit.args), data)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for secret in JANS_DATA:
            assert secret.encode() not in body, f"{visit}: {secret!r} shown"
        seen.append((visit, response.status_code))
    return seen


@pytest.mark.spec("SELF-03")
def test_another_contact_reaches_nothing_of_jans(client, maria, marias_ticket, jans_ticket):
    walked = visits(marias_ticket, jans_ticket)
    assert_every_url_is_walked(walked)
    before = Activity.objects.filter(ticket=jans_ticket).count()
    for visit, status in walk(client, walked, before=lambda: sign_in_as(client, maria)):
        if visit.args and visit.name != "portal_sign_in_link":
            assert status in {404, 410}, f"{visit}: {status}"
    assert Activity.objects.filter(ticket=jans_ticket).count() == before
    own_file = Attachment.objects.get(filename="maria-receipt.pdf")  # while her own is there for her
    assert client.get(reverse("portal_contact_ticket", args=[marias_ticket.number])).status_code == 200
    assert client.get(reverse("portal_contact_file", args=[marias_ticket.number, own_file.pk])).status_code == 200
    assert (
        not Activity.objects.filter(kind=ActivityKind.WEB_IN, body="Let me in").exclude(ticket__contact=maria).exists()
    )


@pytest.mark.spec("SELF-03")
def test_an_anonymous_visitor_reaches_nothing_and_is_sent_to_sign_in(client, marias_ticket, jans_ticket):
    walked = visits(marias_ticket, jans_ticket)
    for visit, status in walk(client, walked):
        if visit.name.startswith("portal_contact") or visit.name in {"portal_home", "portal_new_ticket"}:
            assert status == 302, f"{visit}: {status}"
        elif visit.args:
            assert status in {404, 410}, f"{visit}: {status}"
    for number in (marias_ticket.number, jans_ticket.number):
        response = client.get(reverse("portal_contact_ticket", args=[number]))
        assert response.url == reverse("portal_sign_in") + f"?next=%2Fportal%2Ftickets%2F{number}%2F"
    assert not Activity.objects.filter(body="Let me in").exists()
