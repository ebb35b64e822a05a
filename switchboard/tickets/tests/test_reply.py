"""Reply to contact (MAIL-05, MAIL-07, AGENT-06) and the outbound pipeline: the outbox row is
written with the reply, a job sends it to a real SMTP listener, and the outcome is recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from switchboard.intake.actions import do_send_outbound_message
from switchboard.intake.models import OutboundMessage
from switchboard.tickets.actions import TicketError, do_add_note, do_assign_ticket
from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.messages import PlaceholdersLeftError, do_reply_to_contact
from switchboard.tickets.models import Activity, ActivityKind, CannedResponse, Membership, StatusKind
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

ANSWER = "<p>We can collect the sofa on <b>Friday</b>.</p>"


@pytest.fixture
def maria_ticket(volunteers):
    volunteers.signature = "Food Bank Volunteers\n+1 555 0100"
    volunteers.reply_address = "volunteers@foodbank.example"
    volunteers.save()
    return make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))


def reply(ticket, agent, body=ANSWER, to="maria@example.org"):
    return do_reply_to_contact(ticket, to_address=to, body_html=body, acting_user=agent)


@pytest.mark.spec("MAIL-05")
def test_a_reply_goes_on_the_timeline_into_the_outbox_and_sets_waiting_for_the_contact(
    maria_ticket, alice_agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        sent = reply(maria_ticket, alice_agent)
    maria_ticket.refresh_from_db()
    assert maria_ticket.status.kind == StatusKind.WAITING_CONTACT
    assert sent.kind == ActivityKind.EMAIL_OUT and sent.actor == alice_agent and sent.to_address == "maria@example.org"
    outbox = OutboundMessage.objects.get(activity=sent)
    assert outbox.state == OutboundMessage.State.QUEUED and outbox.to_address == "maria@example.org"
    assert outbox.message_id == sent.message_id
    status_change = Activity.objects.filter(ticket=maria_ticket, kind=ActivityKind.CHANGED).latest("id")
    assert status_change.changes == [{"field": "status", "old": "New", "new": "Waiting for the contact"}]
    assert len(callbacks) == 2  # the send job, and the live update


@pytest.mark.spec("MAIL-07", "AGENT-06")
def test_the_email_greets_the_contact_and_signs_off_with_the_agents_name_initials_and_group_signature(
    maria_ticket, alice_agent
):
    alice_agent.agent_profile.signature = "Volunteer coordinator"
    alice_agent.agent_profile.save()
    outbox = OutboundMessage.objects.get(activity=reply(maria_ticket, alice_agent))
    assert outbox.text.startswith("Hello Maria,\n\nWe can collect the sofa on Friday.\n\nKind regards,\nAlice (AL)")
    assert "Volunteer coordinator" in outbox.text
    assert outbox.text.endswith("-- \nFood Bank Volunteers\n+1 555 0100")
    assert "<b>Friday</b>" in outbox.html and "Hello Maria," in outbox.html
    assert outbox.from_address == "Volunteers <volunteers@foodbank.example>"
    assert outbox.subject == f"{maria_ticket.title} [Ticket#{maria_ticket.number}]"


@pytest.mark.spec("MAIL-05")
def test_send_is_refused_while_a_placeholder_is_left_and_nothing_is_written(maria_ticket, alice_agent):
    with pytest.raises(PlaceholdersLeftError, match=r"\[Enter dates\]"):
        reply(maria_ticket, alice_agent, body="<p>We can come on <mark>[Enter dates]</mark>.</p>")
    with pytest.raises(TicketError, match="Write a reply"):
        reply(maria_ticket, alice_agent, body="<p> </p>")
    assert not OutboundMessage.objects.exists()
    assert not Activity.objects.filter(kind=ActivityKind.EMAIL_OUT).exists()
    maria_ticket.refresh_from_db()
    assert maria_ticket.status.kind == StatusKind.NEW
    # Ticket tokens and numbered references are not placeholders.
    reply(maria_ticket, alice_agent, body="<p>See [1] and your earlier mail [Ticket#7].</p>")


def test_html_from_the_editor_is_sanitised_before_it_is_stored_or_sent(maria_ticket, alice_agent):
    sent = reply(
        maria_ticket, alice_agent, body='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">a</a></p>'
    )
    outbox = OutboundMessage.objects.get(activity=sent)
    for stored in (sent.body_html, outbox.html):
        assert "script" not in stored and "onclick" not in stored and "javascript" not in stored


@pytest.mark.spec("MAIL-05")
def test_the_reply_arrives_at_a_real_smtp_listener_with_threading_headers(
    maria_ticket, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    first = reply(maria_ticket, alice_agent)
    do_add_note(maria_ticket, body="Maria called: Friday is fine.", acting_user=alice_agent)
    with django_capture_on_commit_callbacks(execute=True):
        second = reply(maria_ticket, alice_agent, body="<p>Booked for Friday at 10.</p>")
    (received,) = smtp_sink.wait_for(1)
    assert received["Message-ID"] == second.message_id
    assert received["In-Reply-To"] == first.message_id
    assert first.message_id in received["References"]
    assert received["Subject"] == f"Re: {maria_ticket.title} [Ticket#{maria_ticket.number}]"
    assert received["To"] == "maria@example.org"
    assert received.get_body(("plain",)).get_content().startswith("Hello Maria,")
    assert "Booked for Friday at 10." in received.get_body(("html",)).get_content()
    outbox = OutboundMessage.objects.get(activity=second)
    assert outbox.state == OutboundMessage.State.SENT and outbox.attempts == 1 and outbox.sent_at


def test_a_failed_send_is_recorded_and_retried_and_given_up_on_only_at_the_last_attempt(
    maria_ticket, alice_agent, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: connection refused
    outbox = OutboundMessage.objects.get(activity=reply(maria_ticket, alice_agent))
    with pytest.raises(Exception, match="refused"):
        do_send_outbound_message(outbox.pk, last_attempt=False)
    outbox.refresh_from_db()
    assert outbox.state == OutboundMessage.State.QUEUED and outbox.attempts == 1 and "refused" in outbox.last_error
    do_send_outbound_message(outbox.pk, last_attempt=True)
    outbox.refresh_from_db()
    assert outbox.state == OutboundMessage.State.FAILED and outbox.attempts == 2


def test_a_recipient_the_server_refuses_for_good_is_not_retried_and_a_sent_message_never_goes_twice(
    maria_ticket, alice_agent, smtp_sink
):
    smtp_sink.refuse.add("nobody@example.org")
    refused = OutboundMessage.objects.get(activity=reply(maria_ticket, alice_agent, to="nobody@example.org"))
    do_send_outbound_message(refused.pk, last_attempt=False)
    refused.refresh_from_db()
    assert refused.state == OutboundMessage.State.FAILED and "No such user" in refused.last_error

    other = make_ticket(maria_ticket.group)
    delivered = OutboundMessage.objects.get(activity=reply(other, alice_agent, to="maria@example.org"))
    do_send_outbound_message(delivered.pk, last_attempt=False)
    do_send_outbound_message(delivered.pk, last_attempt=False)  # a duplicated job
    assert len(smtp_sink.wait_for(1)) == 1
    delivered.refresh_from_db()
    assert delivered.state == OutboundMessage.State.SENT and delivered.attempts == 1


@pytest.mark.spec("MAIL-05")
def test_managers_edit_a_groups_canned_responses_and_agents_may_not(volunteers, alice_agent):
    manager = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    canned = do_save_canned_response(
        volunteers, title="Pick-up dates", body_html="<p>We can come on [Enter dates].<script>x</script></p>",
        acting_user=manager,
    )  # fmt: skip
    assert canned.body_html == "<p>We can come on [Enter dates].</p>"
    with pytest.raises(TicketError, match="already has"):
        do_save_canned_response(volunteers, title="Pick-up dates", body_html="<p>Again</p>", acting_user=manager)
    with pytest.raises(PermissionDenied):
        do_save_canned_response(volunteers, title="Mine", body_html="<p>No</p>", acting_user=alice_agent)
    assert list(CannedResponse.objects.values_list("title", flat=True)) == ["Pick-up dates"]


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.spec("MAIL-05")
def test_a_refused_send_keeps_what_the_agent_wrote_and_names_the_placeholders(client, maria_ticket, alice_agent):
    client.force_login(alice_agent)
    url = reverse("reply_to_contact", args=[maria_ticket.number])
    body = "<p>Dear Maria, we come on [Enter dates] <b>sharp</b>.</p>"
    response = client.post(url, {"to_address": "maria@example.org", "body_html": body})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Replace the placeholders before sending: [Enter dates]" in page
    assert "we come on [Enter dates] <b>sharp</b>." in page  # back in the editor
    assert not OutboundMessage.objects.exists()

    response = client.post(url, {"to_address": "maria@example.org", "body_html": "<p>We come on Friday.</p>"})
    assert response.status_code == 302
    assert "Reply sent to maria@example.org" in client.get(response["Location"]).content.decode()


@pytest.mark.spec("MAIL-05", "MAIL-07")
def test_email_view_shows_exactly_what_will_be_sent(client, maria_ticket, alice_agent):
    client.force_login(alice_agent)
    response = client.post(
        reverse("reply_preview", args=[maria_ticket.number]),
        {"to_address": "maria@example.org", "body_html": "<p>See you on [Enter dates].</p>"},
    )
    page = response.content.decode()
    assert "Hello Maria," in page and "Alice (AL)" in page and "[Ticket#" in page
    assert "Replace the highlighted placeholders before sending: [Enter dates]" in page


def test_ticket_page_offers_the_groups_canned_responses_and_fills_in_the_contacts_address(
    client, maria_ticket, alice_agent, donations
):
    manager = make_agent("mona", "MO", groups=[maria_ticket.group, donations], role=Membership.Role.MANAGER)
    do_save_canned_response(
        maria_ticket.group, title="Pick-up dates", body_html="<p>[Enter dates]</p>", acting_user=manager
    )
    do_save_canned_response(donations, title="Tax receipt", body_html="<p>Receipt</p>", acting_user=manager)
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[maria_ticket.number])).content.decode()
    assert 'value="maria@example.org"' in page
    assert "Pick-up dates" in page and "Tax receipt" not in page


def test_canned_responses_page_edits_for_managers_and_is_hidden_from_other_groups(
    client, volunteers, alice_agent, bob_agent
):
    manager = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    url = reverse("canned_responses", args=[volunteers.slug])
    client.force_login(manager)
    response = client.post(url, {"title": "Thanks", "body_html": "<p>Thank you for helping, [Name]!</p>"})
    assert response.status_code == 302
    canned = CannedResponse.objects.get(title="Thanks")
    edit = reverse("edit_canned_response", args=[volunteers.slug, canned.pk])
    client.post(edit, {"title": "Thank you", "body_html": "<p>Thank you!</p>"})
    canned.refresh_from_db()
    assert canned.title == "Thank you"

    client.force_login(alice_agent)
    assert client.post(url, {"title": "Mine", "body_html": "<p>x</p>"}).status_code == 403
    assert CannedResponse.objects.count() == 1
    client.force_login(bob_agent)
    assert client.get(url).status_code == 404
    assert client.post(reverse("reply_to_contact", args=[make_ticket(volunteers).number]), {}).status_code == 404


def test_email_ticket_owner_sends_the_message_with_a_link_and_keeps_it_as_a_note(
    client, maria_ticket, alice_agent, smtp_sink, django_capture_on_commit_callbacks, settings
):
    geoff = make_agent("geoff", "GS", groups=[maria_ticket.group])
    do_assign_ticket(maria_ticket, owner=geoff, acting_user=None)
    client.force_login(alice_agent)
    url = reverse("email_owner", args=[maria_ticket.number])
    assert "Email ticket owner" in client.get(reverse("ticket", args=[maria_ticket.number])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "Maria called again, can you ring her back today?"})
    assert response.status_code == 302
    (email,) = smtp_sink.wait_for(1)
    assert email["To"] == "geoff@example.test"
    text = email.get_body(("plain",)).get_content()
    assert "Alice wrote about ticket" in text and "ring her back today" in text
    assert f"{settings.SITE_URL}/tickets/{maria_ticket.number}/" in text
    note = Activity.objects.filter(ticket=maria_ticket, kind=ActivityKind.NOTE).latest("id")
    assert note.actor == alice_agent and "Emailed the owner (GS)" in note.body

    client.force_login(geoff)  # the owner does not email themself
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(url, {"body": "Note to self"}, follow=True)
    assert "You own this ticket." in refused.content.decode()
    client.force_login(alice_agent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"body": "Any news?"})
    first, second = smtp_sink.wait_for(2)  # the next mail that arrives is Alice's second, nothing between
    assert "Any news?" in second.get_body(("plain",)).get_content()
    assert not Activity.objects.filter(ticket=maria_ticket, body__contains="Note to self").exists()
