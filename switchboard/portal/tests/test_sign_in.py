"""Signing in to the customer portal by an emailed link (SELF-03): the link from the SMTP
listener signs in once and for PORTAL_LINK_MINUTES; the page never tells whether an address is
known; requests are limited; the session is the contact's own, beside any agent's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from switchboard.contacts.actions import ContactDetails, PointInput, do_set_contact_language, do_update_contact
from switchboard.contacts.models import ContactPoint
from switchboard.portal.actions import do_create_sign_in_link
from switchboard.portal.models import SignInRequest
from switchboard.portal.tests.helpers import path_of, sign_in_as
from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.tests.factories import make_ticket

LINK = re.compile(r"http://\S+/portal/sign-in/\S+/")


def ask_for_link(client, address: str, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("portal_sign_in"), {"email": address})


def emailed_link(smtp_sink, address: str) -> str:
    (mail,) = [m for m in smtp_sink.messages if m["To"] == address]
    return path_of(LINK.search(mail.get_body(("plain",)).get_content()).group(0))


@pytest.mark.spec("SELF-03")
def test_the_emailed_link_signs_in_once_and_shows_only_ones_own_tickets(
    client, smtp_sink, django_capture_on_commit_callbacks, maria, marias_ticket, jans_ticket, donations
):
    closed = make_ticket(donations, contact=maria)
    do_close_ticket(closed, acting_user=None)
    assert client.get(reverse("portal_home")).url.startswith(reverse("portal_sign_in"))

    page = ask_for_link(client, "Maria@Example.org", django_capture_on_commit_callbacks)
    assert page.status_code == 200 and "Check your email" in page.content.decode()
    link = emailed_link(smtp_sink, "maria@example.org")

    confirm = client.get(link)  # a mail program opening the link uses nothing up
    assert confirm.status_code == 200 and client.get(link).status_code == 200
    assert confirm["Referrer-Policy"] == "same-origin"  # the token stays out of other sites' logs
    assert client.get(reverse("portal_home")).status_code == 302
    signed_in = client.post(link, follow=True)
    content = signed_in.content.decode()
    assert signed_in.redirect_chain[-1][0] == reverse("portal_home")
    assert marias_ticket.title in content and f"#{closed.number}" in content  # open and closed, every group
    assert "Resolved" in content and "maria@example.org" in content
    assert f"#{jans_ticket.number}" not in content and jans_ticket.title not in content

    client.post(reverse("portal_sign_out"))
    assert client.get(reverse("portal_home")).status_code == 302
    again = client.post(link)
    assert again.status_code == 410 and "already used" in again.content.decode()
    assert client.get(reverse("portal_home")).status_code == 302


@pytest.mark.spec("SELF-03")
def test_a_link_expires_after_its_minutes_and_says_so(
    client, smtp_sink, django_capture_on_commit_callbacks, maria, settings
):
    settings.PORTAL_LINK_MINUTES = 15
    asked = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(asked, tick=False):
        ask_for_link(client, "maria@example.org", django_capture_on_commit_callbacks)
    link = emailed_link(smtp_sink, "maria@example.org")
    with time_machine.travel(asked + dt.timedelta(minutes=15), tick=False):
        assert client.get(link).status_code == 200, "still valid in its last second"
    with time_machine.travel(asked + dt.timedelta(minutes=15, seconds=1), tick=False):
        late = client.post(link)
        assert late.status_code == 410 and "expired" in late.content.decode()
        assert client.get(reverse("portal_home")).status_code == 302
    assert client.post(path_of("/portal/sign-in/forged-token/")).status_code == 410


@pytest.mark.spec("SELF-03")
def test_an_unknown_address_gets_the_same_page_and_no_mail(
    client, smtp_sink, django_capture_on_commit_callbacks, maria
):
    known = ask_for_link(client, "maria@example.org", django_capture_on_commit_callbacks)
    unknown = ask_for_link(client, "nobody@example.org", django_capture_on_commit_callbacks)

    def without_address(page, address):  # type: ignore[no-untyped-def]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode().replace(address, "…"))

    assert known.status_code == unknown.status_code == 200
    assert without_address(known, "maria@example.org") == without_address(unknown, "nobody@example.org")
    assert [m["To"] for m in smtp_sink.messages] == ["maria@example.org"]
    stored = [str(value) for row in SignInRequest.objects.values() for value in row.values()]
    assert len(stored) and not any("nobody" in value for value in stored)  # the typed address is not kept


@pytest.mark.spec("SELF-03")
def test_requests_are_limited_per_address_known_or_not_and_per_ip(
    client, smtp_sink, django_capture_on_commit_callbacks, maria, settings
):
    settings.PORTAL_SIGN_IN_LIMIT, settings.PORTAL_SIGN_IN_LIMIT_PER_IP = 2, 5
    for address in ("maria@example.org", "nobody@example.org"):
        for _ in range(2):
            assert ask_for_link(client, address, django_capture_on_commit_callbacks).status_code == 200
        refused = ask_for_link(client, address, django_capture_on_commit_callbacks)
        assert refused.status_code == 429 and "Too many" in refused.content.decode()
    assert len(smtp_sink.messages) == 2
    assert ask_for_link(client, "third@example.org", django_capture_on_commit_callbacks).status_code == 200
    assert ask_for_link(client, "fourth@example.org", django_capture_on_commit_callbacks).status_code == 429  # the IP

    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=1, seconds=1)):
        assert ask_for_link(client, "maria@example.org", django_capture_on_commit_callbacks).status_code == 200
    assert len(smtp_sink.messages) == 3


@pytest.mark.spec("SELF-03")
def test_signing_in_gives_a_new_session_id_and_keeps_an_agents_sign_in_apart(client, maria, alice_agent):
    client.force_login(alice_agent)
    before = client.cookies["sessionid"].value
    sign_in_as(client, maria)
    assert client.cookies["sessionid"].value != before
    assert client.get(reverse("portal_home")).status_code == 200
    assert client.get(reverse("home")).status_code == 200  # still the agent on the agents' pages
    client.post(reverse("portal_sign_out"))
    assert client.get(reverse("portal_home")).status_code == 302


@pytest.mark.spec("SELF-03")
def test_removing_the_address_from_the_contact_ends_their_portal_session(client, maria, marias_ticket):
    sign_in_as(client, maria)
    assert client.get(reverse("portal_home")).status_code == 200
    # An agent corrects the contact's address: the one Maria signed in with is no longer hers.
    details = ContactDetails(
        first_name="Maria", last_name="Garcia", points=[PointInput("email", "m.garcia@example.org")]
    )
    do_update_contact(maria, details=details, acting_user=None)
    assert not ContactPoint.objects.filter(value="maria@example.org").exists()
    assert client.get(reverse("portal_contact_ticket", args=[marias_ticket.number])).status_code == 302


@pytest.mark.spec("SELF-03")
def test_a_link_to_an_address_that_is_no_longer_the_contacts_signs_nobody_in(client, maria):
    point = ContactPoint.objects.get(contact=maria, value="maria@example.org")
    link = path_of(do_create_sign_in_link(point))
    details = ContactDetails(
        first_name="Maria", last_name="Garcia", points=[PointInput("email", "m.garcia@example.org")]
    )
    do_update_contact(maria, details=details, acting_user=None)
    refused = client.post(link)
    assert refused.status_code == 410 and "not valid" in refused.content.decode()
    assert client.get(reverse("portal_home")).status_code == 302


@pytest.mark.spec("SELF-03", "ADMIN-04")
def test_the_portal_speaks_the_contacts_language_else_the_browsers(client, maria, jan):
    do_set_contact_language(jan, language="pl", acting_user=None)
    sign_in_as(client, jan)
    assert "Moje sprawy" in client.get(reverse("portal_home"), headers={"accept-language": "en"}).content.decode()
    sign_in_as(client, maria)  # no language of her own
    assert "Moje sprawy" in client.get(reverse("portal_home"), headers={"accept-language": "pl"}).content.decode()
    assert "My tickets" in client.get(reverse("portal_home"), headers={"accept-language": "en"}).content.decode()
