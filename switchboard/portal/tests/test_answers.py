"""A signed-in contact answers and opens tickets (SELF-03): through the intake pipeline as the
"web" channel, so the answer is a WEB_IN entry of the ticket, the owner is emailed as for any
message of the contact, and a new ticket is acknowledged as the group says."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.portal.tests.helpers import message, sign_in_as
from switchboard.tickets.actions import do_assign_ticket, do_close_ticket, do_merge_tickets
from switchboard.tickets.models import ActivityKind, Category, Ticket, TicketSource
from switchboard.tickets.tests.factories import make_ticket


@pytest.mark.spec("SELF-03")
def test_an_answer_with_a_file_joins_the_ticket_and_its_owner_is_emailed(
    client, smtp_sink, django_capture_on_commit_callbacks, maria, marias_ticket, alice_agent
):
    do_assign_ticket(marias_ticket, owner=alice_agent, acting_user=None)
    sign_in_as(client, maria)
    smtp_sink.messages.clear()
    photo = SimpleUploadedFile("bike.txt", b"frame number 1234", content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("portal_contact_ticket", args=[marias_ticket.number]),
            {"text": "Any news about my bicycle?", "attachments": [photo]},
            follow=True,
        )

    content = sent.content.decode()
    assert "Thank you" in content and "Any news about my bicycle?" in content and "bike.txt" in content
    answer = marias_ticket.activities.get(kind=ActivityKind.WEB_IN)
    assert answer.body == "Any news about my bicycle?" and answer.from_address == "maria@example.org"
    (file,) = answer.attachments.all()
    download = client.get(reverse("portal_contact_file", args=[marias_ticket.number, file.pk]))
    assert b"".join(download.streaming_content) == b"frame number 1234"
    (notification,) = [m for m in smtp_sink.messages if m["To"] == alice_agent.email]
    assert "Maria Garcia wrote" in notification["Subject"]
    assert "Any news about my bicycle?" in notification.get_body(("plain",)).get_content()


@pytest.mark.spec("SELF-03")
def test_an_answer_on_a_resolved_ticket_takes_it_up_again_and_an_empty_one_is_refused(client, maria, marias_ticket):
    do_close_ticket(marias_ticket, acting_user=None)
    sign_in_as(client, maria)
    url = reverse("portal_contact_ticket", args=[marias_ticket.number])
    empty = client.post(url, {"text": "   "})
    assert empty.status_code == 400 and "Write something or attach a file." in empty.content.decode()
    assert not marias_ticket.activities.filter(kind=ActivityKind.WEB_IN).exists()

    client.post(url, {"text": "It broke again."})
    marias_ticket.refresh_from_db()
    assert marias_ticket.is_open  # the group reopens (its default)
    assert marias_ticket.activities.filter(kind=ActivityKind.WEB_IN, body="It broke again.").exists()


@pytest.mark.spec("SELF-03", "ROUTE-06")
def test_a_new_ticket_from_the_portal_in_a_chosen_group_and_category(
    client, smtp_sink, django_capture_on_commit_callbacks, maria, volunteers, donations
):
    donations.autoresponder = True
    donations.save()
    tax = Category.objects.create(group=donations, name="Tax receipts")
    sign_in_as(client, maria)
    form = client.get(reverse("portal_new_ticket")).content.decode()
    assert "Tax receipts" in form and "Volunteers" in form and "Donations" in form

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("portal_new_ticket"),
            {"topic": f"c{tax.pk}", "subject": "Receipt for 2026", "text": "Please send my receipt."},
            follow=True,
        )
    ticket = Ticket.objects.get(title="Receipt for 2026")
    assert (ticket.group, ticket.category, ticket.contact, ticket.source) == (donations, tax, maria, TicketSource.WEB)
    assert sent.redirect_chain[-1][0] == reverse("portal_contact_ticket", args=[ticket.number])
    assert "Please send my receipt." in sent.content.decode()
    assert [m["To"] for m in smtp_sink.messages] == ["maria@example.org"]  # the group's acknowledgement

    wrong = client.post(reverse("portal_new_ticket"), {"topic": "c99999", "subject": "x", "text": "y"})
    assert wrong.status_code == 400 and Ticket.objects.filter(title="x").count() == 0

    volunteers.website = False  # its managers switched the website off: not offered, not taken
    volunteers.save()
    assert "Volunteers" not in client.get(reverse("portal_new_ticket")).content.decode()
    closed = client.post(reverse("portal_new_ticket"), {"topic": f"g{volunteers.pk}", "subject": "x", "text": "y"})
    assert closed.status_code == 400 and not Ticket.objects.filter(title="x").exists()


@pytest.mark.spec("SELF-03")
def test_a_merged_ticket_leads_to_the_one_it_went_to(client, maria, marias_ticket, donations):
    older = make_ticket(donations, contact=maria)
    do_merge_tickets(older, into=marias_ticket, acting_user=None)
    sign_in_as(client, maria)
    home = client.get(reverse("portal_home")).content.decode()
    assert f"joined with #{marias_ticket.number}" in home
    response = client.get(reverse("portal_contact_ticket", args=[older.number]))
    assert response.url == reverse("portal_contact_ticket", args=[marias_ticket.number])


@pytest.mark.spec("SELF-03")
def test_the_ticket_list_costs_the_same_queries_for_3_tickets_or_30(client, maria, volunteers, donations):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portal_home")).status_code == 200
        return len(captured)

    sign_in_as(client, maria)
    message(make_ticket(volunteers, contact=maria), "hello")
    do_close_ticket(make_ticket(donations, contact=maria), acting_user=None)
    few = queries()
    for _n in range(28):
        do_close_ticket(make_ticket(donations, contact=maria), acting_user=None)
    assert queries() == few
