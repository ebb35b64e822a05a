"""Ticket titles are one line everywhere (issue 18, item 16): a title becomes the subject of our
mail, where a line break is not allowed. The forms refuse one with a clear message; every other
path that sets a title (a default title from a contact's name, other channels) makes it one line.
(Subjects of incoming mail are made one line by the mail parser already.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from switchboard.intake.models import OutboundMessage
from switchboard.tickets.actions import do_create_ticket
from switchboard.tickets.models import Ticket, TicketSource
from switchboard.tickets.tests.factories import make_contact, make_ticket
from switchboard.tickets.tests.test_pages import header_post


@pytest.mark.spec("CORE-05", "MAIL-05")
def test_a_name_with_a_line_break_makes_a_one_line_title_that_a_reply_carries_to_the_contact(
    client, volunteers, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    client.force_login(alice_agent)
    form = {"first_name": "Jan\r\nBcc: x@example.net", "last_name": "Nowak", "email": "jan@example.org",
            "title": "", "source": "phone"}  # fmt: skip
    assert client.post(reverse("new_ticket", args=["volunteers"]), form).status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.title == "Jan Bcc: x@example.net Nowak (Volunteers)"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reply_to_contact", args=[ticket.number]),
            {"to_address": "jan@example.org", "body_html": "<p>Friday at 10 is fine.</p>"},
        )
    assert response.status_code == 302
    (email,) = smtp_sink.wait_for(1)
    assert email["Subject"] == f"Jan Bcc: x@example.net Nowak (Volunteers) [Ticket#{ticket.number}]"
    assert email["Bcc"] is None and OutboundMessage.objects.get().state == OutboundMessage.State.SENT


@pytest.mark.spec("CORE-07")
def test_the_ticket_page_refuses_a_title_with_a_line_break_and_says_why(client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    response = client.post(reverse("ticket", args=[ticket.number]), header_post(ticket, title="Sofa\r\nBcc: x@y"))
    assert response.status_code == 400
    assert "A title is one line: remove the line breaks." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).title == ticket.title


@pytest.mark.spec("CORE-05")
def test_a_new_ticket_with_a_title_with_a_line_break_is_refused_and_says_why(client, volunteers, alice_agent):
    client.force_login(alice_agent)
    form = {"first_name": "Jan", "email": "jan@example.org", "title": "Sofa\nthen more", "source": "phone"}
    response = client.post(reverse("new_ticket", args=["volunteers"]), form)
    assert response.status_code == 200 and not Ticket.objects.exists()
    assert "A title is one line: remove the line breaks." in response.content.decode()


def test_every_other_way_a_title_is_set_makes_it_one_line(volunteers):
    ticket = do_create_ticket(
        volunteers,
        contact=make_contact("Maria", "Garcia"),
        source=TicketSource.PHONE,
        title="  Sofa\u2028pick-up\x0bnext  week\x00 ",
        acting_user=None,
    )
    assert ticket.title == "Sofa pick-up next week"
    nameless = do_create_ticket(
        volunteers,
        contact=make_contact("Jan\r\nBcc: x@y", "Nowak", email="jan@example.org"),
        source=TicketSource.EMAIL,
        acting_user=None,
    )
    assert nameless.title == "Jan Bcc: x@y Nowak (Volunteers)"
