"""A message that can never be sent is given up on at once (issue 18, item 16): no retries, the
outbox row marked not sent, and the ticket's timeline says why in plain words, in the agent's
language. Sent through Django's SMTP backend to a real SMTP listener."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from switchboard.intake.models import OutboundMessage
from switchboard.tickets.models import AgentProfile, Ticket
from switchboard.tickets.tests.factories import make_contact, make_ticket


def reply_from_the_page(client, ticket: Ticket, *, to: str, capture) -> OutboundMessage:  # type: ignore[no-untyped-def]
    with capture(execute=True):  # the send job runs when the reply is committed
        response = client.post(
            reverse("reply_to_contact", args=[ticket.number]),
            {"to_address": to, "body_html": "<p>Friday at 10 is fine.</p>"},
        )
    assert response.status_code == 302
    return OutboundMessage.objects.get(ticket=ticket)


def timeline(client, ticket: Ticket, agent, language: str) -> str:  # type: ignore[no-untyped-def]
    AgentProfile.objects.filter(user=agent).update(language=language)
    with translation.override(language):  # the page switches to the agent's language: back after it
        return " ".join(client.get(reverse("ticket", args=[ticket.number])).content.decode().split())


@pytest.mark.spec("MAIL-05")
def test_a_subject_email_does_not_allow_is_not_sent_not_retried_and_the_timeline_says_why(
    client, volunteers, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    # A title saved before titles were made one line.
    Ticket.objects.filter(pk=ticket.pk).update(title="Sofa\npick-up")
    client.force_login(alice_agent)

    message = reply_from_the_page(client, ticket, to="maria@example.org", capture=django_capture_on_commit_callbacks)

    assert (message.state, message.attempts) == (OutboundMessage.State.FAILED, 1)
    assert smtp_sink.messages == []
    english = timeline(client, ticket, alice_agent, "en")
    assert (
        "Not sent to maria@example.org: it cannot be sent as it is, because its subject or an address "
        "holds a line break or another character that email does not allow." in english
    )
    polish = timeline(client, ticket, alice_agent, "pl")
    assert (
        "Nie wysłano do maria@example.org: nie da się jej wysłać w tej postaci, bo temat lub adres zawiera "
        "znak nowego wiersza albo inny znak niedozwolony w e-mailu." in polish
    )


@pytest.mark.spec("MAIL-05")
def test_a_recipient_the_server_refuses_for_good_is_shown_on_the_timeline_in_plain_words(
    client, volunteers, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.refuse.add("nobody@example.org")
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="nobody@example.org"))
    client.force_login(alice_agent)

    message = reply_from_the_page(client, ticket, to="nobody@example.org", capture=django_capture_on_commit_callbacks)

    assert (message.state, message.attempts) == (OutboundMessage.State.FAILED, 1)
    english = timeline(client, ticket, alice_agent, "en")
    assert "Not sent to nobody@example.org: the receiving mail server refused it for good" in english
    assert "550 5.1.1 No such user here" in english
    polish = timeline(client, ticket, alice_agent, "pl")
    assert "Nie wysłano do nobody@example.org: serwer pocztowy odbiorcy odrzucił ją na stałe" in polish
