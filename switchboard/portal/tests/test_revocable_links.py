"""The per-ticket link of our mail keeps working, and is revocable (SELF-03): merging the ticket
or changing its contact gives it a new key, and the links sent before then say clearly that they
no longer work, showing nothing of the ticket. SELF-05: the resolution notice links to the
ticket in the portal."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.urls import reverse

from switchboard.portal.links import SALT, ticket_from, ticket_url
from switchboard.portal.tests.helpers import path_of, sign_in_as
from switchboard.tickets.actions import do_close_ticket, do_merge_tickets
from switchboard.tickets.contact_change import do_change_ticket_contact
from switchboard.tickets.models import Ticket
from switchboard.tickets.tests.factories import make_ticket


def assert_revoked(client, url: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get(path_of(url))
    content = page.content.decode()
    assert page.status_code == 410 and "This link no longer works" in content
    assert "bicycle" not in content and "Sign in" in content


@pytest.mark.spec("SELF-03")
def test_merging_revokes_the_links_of_both_tickets(client, maria, marias_ticket, donations):
    other = make_ticket(donations, contact=maria)
    old_links = [ticket_url(marias_ticket), ticket_url(other)]
    assert client.get(path_of(old_links[0])).status_code == 200

    do_merge_tickets(other, into=marias_ticket, acting_user=None)

    for url in old_links:
        assert_revoked(client, url)
    marias_ticket.refresh_from_db()
    assert client.get(path_of(ticket_url(marias_ticket))).status_code == 200  # the new link works


@pytest.mark.spec("SELF-03")
def test_a_new_contact_revokes_the_links_sent_to_the_earlier_one(client, maria, jan, marias_ticket, alice_agent):
    old_link = ticket_url(marias_ticket)
    do_change_ticket_contact(marias_ticket, jan, acting_user=alice_agent)
    assert_revoked(client, old_link)
    sign_in_as(client, maria)
    assert client.get(reverse("portal_contact_ticket", args=[marias_ticket.number])).status_code == 404


@pytest.mark.spec("SELF-03")
def test_links_sent_before_tickets_had_keys_work_until_the_ticket_is_merged(client, maria, marias_ticket, volunteers):
    Ticket.objects.filter(pk=marias_ticket.pk).update(portal_key="")  # as the migration leaves older tickets
    legacy = reverse("portal_ticket", args=[signing.dumps(marias_ticket.pk, salt=SALT)])
    assert client.get(legacy).status_code == 200
    do_merge_tickets(make_ticket(volunteers), into=marias_ticket, acting_user=None)
    assert client.get(legacy).status_code == 410


@pytest.mark.spec("SELF-05", "MAIL-08")
def test_the_resolution_notice_links_to_the_ticket_in_the_portal(
    client, smtp_sink, django_capture_on_commit_callbacks, maria, marias_ticket, volunteers, settings
):
    volunteers.resolution_notice = True
    volunteers.save()
    with django_capture_on_commit_callbacks(execute=True):
        do_close_ticket(marias_ticket, acting_user=None)

    (notice,) = smtp_sink.messages
    text = notice.get_body(("plain",)).get_content()
    link = re.search(re.escape(settings.SITE_URL) + r"/t/\S+/", text).group(0)
    assert "customer portal" in text and ticket_from(link.split("/t/")[1].strip("/")) == marias_ticket
    page = client.get(path_of(link)).content.decode()
    assert "My bicycle delivery is late." in page and "courier" not in page  # the conversation, no notes
    assert "Sign in to answer" in page

    sign_in_as(client, maria)  # signed in, the same link opens the ticket where she answers
    opened = client.get(path_of(link), follow=True)
    assert opened.redirect_chain[-1][0] == reverse("portal_contact_ticket", args=[marias_ticket.number])
    assert "data-answer-form" in opened.content.decode()
