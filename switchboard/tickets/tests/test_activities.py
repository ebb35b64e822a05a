"""The activities tab (CC-07): the timeline filtered by kind and sorted, moving an entry to
another ticket, a note on an entry, downloading an entry's files, and "My activities"."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tracemalloc
import zipfile

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.intake.inbound import Call, Inbound, InboundAttachment, Person
from switchboard.intake.models import OutboundMessage
from switchboard.portal.links import ticket_token
from switchboard.tickets import downloads
from switchboard.tickets.actions import do_add_note, do_change_ticket_status, do_merge_tickets
from switchboard.tickets.activity_actions import do_add_activity_note
from switchboard.tickets.activity_selectors import KIND_FILTERS, KIND_KEYS
from switchboard.tickets.messages import do_add_inbound_message, do_reply_to_contact
from switchboard.tickets.models import Activity, ActivityKind, Membership, StatusKind, Ticket
from switchboard.tickets.search import matching_ticket_ids
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def email_from(ticket: Ticket, text: str, *, files: list[tuple[str, bytes]] | None = None) -> Activity:
    attachments = [InboundAttachment(name, "application/pdf", content) for name, content in files or []]
    inbound = Inbound(channel="email", sender=Person("maria@example.org"), text=text, attachments=attachments)
    return do_add_inbound_message(ticket, inbound=inbound, cc=[])


def call_from(ticket: Ticket, *, outbound: bool = False, seconds: int = 95) -> Activity:
    call = Call(outcome="answered", outbound=outbound, duration=seconds, provider_id=f"CA{seconds}")
    return do_add_inbound_message(
        ticket, inbound=Inbound(channel="phone", sender=Person("+48601234567"), call=call), cc=[]
    )


def sms_from(ticket: Ticket, text: str) -> Activity:
    return do_add_inbound_message(
        ticket, inbound=Inbound(channel="sms", sender=Person("+48601234567"), text=text), cc=[]
    )


def shown_entries(html: str) -> list[int]:
    """The top entries of the activities, in the order shown."""
    return [
        int(pk) for pk in re.findall(r'<li class="timeline-entry[^"]*" id="activity-\d+" data-activity="(\d+)"', html)
    ]


def chip_counts(html: str) -> dict[str, int]:
    chips = re.findall(r'data-kind-chip="(\w+)".*?data-count>(\d+)<', html, flags=re.S)
    return {key: int(count) for key, count in chips}


@pytest.fixture
def busy_ticket(volunteers, alice_agent):
    """A ticket with an email, two calls, an SMS and a note, a minute apart."""
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    made = {}
    with time_machine.travel(T0, tick=False) as clock:
        for name, make in [
            ("email", lambda: email_from(ticket, "Can I bring the sofa on Friday?")),
            ("call_in", lambda: call_from(ticket)),
            ("sms", lambda: sms_from(ticket, "Friday 10:00 works")),
            ("call_out", lambda: call_from(ticket, outbound=True, seconds=40)),
            ("note", lambda: do_add_note(ticket, body="Van booked", acting_user=alice_agent)),
        ]:
            clock.shift(dt.timedelta(minutes=1))
            made[name] = make()
    return ticket, made


# --- filter and sort --------------------------------------------------------------------------


@pytest.mark.spec("CC-07")
def test_the_timeline_filters_to_one_kind_with_counts_and_sorts_newest_first(client: Client, busy_ticket, alice_agent):
    ticket, made = busy_ticket
    client.force_login(alice_agent)
    url = reverse("ticket", args=[ticket.number])

    everything = client.get(url).content.decode()
    counts = chip_counts(everything)
    assert counts["call"] == 2 and counts["email"] == 1 and counts["sms"] == 1 and counts["note"] == 1
    assert counts["change"] >= 1  # created, and the status changes the messages made
    assert counts["all"] == sum(count for key, count in counts.items() if key != "all")
    oldest_first = shown_entries(everything)
    assert oldest_first.index(made["email"].pk) < oldest_first.index(made["note"].pk)

    calls = client.get(url, {"kind": "call"}).content.decode()
    assert shown_entries(calls) == [made["call_in"].pk, made["call_out"].pk]
    assert 'aria-current="true" data-kind-chip="call"' in calls

    newest = client.get(url, {"kind": "call", "order": "newest"}).content.decode()
    assert shown_entries(newest) == [made["call_out"].pk, made["call_in"].pk]
    assert shown_entries(client.get(url, {"kind": "all", "order": "newest"}).content.decode()) == oldest_first[::-1]


@pytest.mark.spec("CC-07", "ADMIN-04")
def test_the_timeline_shows_each_entry_in_the_readers_language_and_its_senders_words_as_text(
    client: Client, volunteers, alice_agent
):
    """The entries are written in Python (templatetags/activities.py): what a sender wrote is
    escaped as the template escaped it, and the words are the reader's, plural forms included."""
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    email = email_from(ticket, "<script>alert(1)</script> Is it <b>free</b>?\n\n> On Monday you wrote:\n> <i>Yes</i>")
    long_call, short_call = call_from(ticket, seconds=95), call_from(ticket, outbound=True, seconds=2)
    do_add_activity_note(email, body="<b>4th floor</b>\nno lift", acting_user=alice_agent)
    reply = do_reply_to_contact(
        ticket, to_address="maria@example.org", body_html="<p>Friday it is.</p>", acting_user=alice_agent
    )
    OutboundMessage.objects.filter(activity=reply).update(attempts=2, last_error="<mx> refused")
    alice_agent.agent_profile.language = "pl"
    alice_agent.agent_profile.save()
    client.force_login(alice_agent)

    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()

    def entry(activity: Activity) -> str:
        html = page[page.index(f'id="activity-{activity.pk}"') :]
        return html[: html.index("</li>")]

    shown = entry(email)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Is it &lt;b&gt;free&lt;/b&gt;?" in shown
    assert "&lt;b&gt;4th floor&lt;/b&gt;<br>no lift" in shown and "tylko dla konsultantów" in shown
    assert "Pokaż cytowane wcześniejsze wiadomości" in shown and "&lt;i&gt;Yes&lt;/i&gt;" in shown
    assert "maria@example.org" in shown and "Przenieś do innej sprawy" in shown
    assert f'action="{reverse("add_activity_note", args=[email.pk])}"' in shown
    assert 'name="csrfmiddlewaretoken"' in shown
    assert "95 sekund ·" in entry(long_call) and "2 sekundy ·" in entry(short_call)
    assert "95 seconds" not in entry(long_call)
    # Its email's delivery, under the reply: being retried, the server's words as text.
    assert "Jeszcze nie wysłano do maria@example.org (2 próby nieudane, ponawiamy): &lt;mx&gt; refused" in entry(reply)
    assert "<p>Friday it is.</p>" in entry(reply)


def test_every_kind_of_activity_is_behind_exactly_one_chip():
    assert sorted(KIND_KEYS) == sorted(ActivityKind.values)
    named = [kind for kind_filter in KIND_FILTERS for kind in kind_filter.kinds]
    assert len(named) == len(set(named))


@pytest.mark.spec("CC-07")
def test_the_chips_swap_only_the_activities_and_the_choice_stays_while_on_the_ticket(
    client: Client, busy_ticket, volunteers, alice_agent
):
    ticket, made = busy_ticket
    client.force_login(alice_agent)
    url = reverse("ticket", args=[ticket.number])

    part = client.get(reverse("ticket_activities", args=[ticket.number]), {"kind": "sms"}, HTTP_HX_REQUEST="true")
    html = part.content.decode()
    assert part.status_code == 200 and html.lstrip().startswith('<section id="activities"')
    assert shown_entries(html) == [made["sms"].pk] and "<html" not in html

    # Adding a note (a form, a redirect) comes back to SMS only, newest first as chosen.
    client.get(url, {"kind": "sms", "order": "newest"})
    client.post(reverse("add_note", args=[ticket.number]), {"body": "Called back"})
    assert shown_entries(client.get(url).content.decode()) == [made["sms"].pk]

    other = make_ticket(volunteers)
    assert len(shown_entries(client.get(reverse("ticket", args=[other.number])).content.decode())) >= 1
    assert len(shown_entries(client.get(url).content.decode())) > 1, "another ticket was opened: everything again"

    assert client.get(url, {"kind": "nonsense"}).status_code == 200


@pytest.mark.spec("CC-07")
def test_an_agent_of_another_group_cannot_read_the_activities(client: Client, busy_ticket, bob_agent):
    ticket, _made = busy_ticket
    client.force_login(bob_agent)
    assert client.get(reverse("ticket_activities", args=[ticket.number])).status_code == 404


# --- moving an entry --------------------------------------------------------------------------


@pytest.fixture
def alice_in_both(alice_agent, donations):
    Membership.objects.create(user=alice_agent, group=donations)
    return alice_agent


@pytest.mark.spec("CC-07")
def test_moving_an_email_takes_its_files_and_notes_and_both_histories_record_it(
    client: Client, volunteers, donations, alice_in_both
):
    source = make_ticket(volunteers)
    target = make_ticket(donations)
    email = email_from(source, "The receipt for the wardrobe", files=[("receipt.pdf", PDF), ("photo.pdf", PDF)])
    do_add_activity_note(email, body="Receipt checked", acting_user=alice_in_both)
    client.force_login(alice_in_both)

    response = client.post(reverse("move_activity", args=[email.pk]), {"number": target.number}, follow=True)

    assert f"Moved to ticket #{target.number}." in response.content.decode()
    email.refresh_from_db()
    assert email.ticket_id == target.pk
    assert sorted(email.attachments.values_list("filename", flat=True)) == ["photo.pdf", "receipt.pdf"]
    note = Activity.objects.get(parent=email)
    assert note.ticket_id == target.pk and note.body == "Receipt checked"
    source_history = list(source.activities.filter(kind=ActivityKind.CHANGED).values_list("body", flat=True))
    target_history = list(target.activities.filter(kind=ActivityKind.CHANGED).values_list("body", flat=True))
    assert any(f"moved to #{target.number}" in body and "Email from contact" in body for body in source_history)
    assert any(f"moved from #{source.number}" in body for body in target_history)

    target_page = client.get(reverse("ticket", args=[target.number])).content.decode()
    assert email.pk in shown_entries(target_page) and "Receipt checked" in target_page
    assert email.pk not in shown_entries(client.get(reverse("ticket", args=[source.number])).content.decode())
    file = email.attachments.get(filename="receipt.pdf")
    assert client.get(reverse("attachment", args=[file.pk])).status_code == 200
    found = Ticket.objects.filter(pk__in=matching_ticket_ids("wardrobe")).values_list("number", flat=True)
    assert list(found) == [target.number], "its text finds the ticket it is on now"


@pytest.mark.spec("CC-07")
def test_a_move_is_refused_for_history_for_a_ticket_out_of_reach_and_for_the_same_ticket(
    client: Client, volunteers, donations, alice_agent, bob_agent
):
    source = make_ticket(volunteers)
    elsewhere = make_ticket(donations)  # Alice is not in Donations
    sibling = make_ticket(volunteers)
    email = email_from(source, "Hello")
    change = source.activities.filter(kind__in=ActivityKind.history_kinds()).first()
    client.force_login(alice_agent)

    def move(activity: Activity, number: int) -> str:
        return client.post(
            reverse("move_activity", args=[activity.pk]), {"number": number}, follow=True
        ).content.decode()

    assert "A history entry stays on its ticket" in move(change, sibling.number)
    assert f"There is no ticket #{elsewhere.number} in your groups." in move(email, elsewhere.number)
    assert "There is no ticket #99999 in your groups." in move(email, 99999)
    assert f"This entry is already on ticket #{source.number}." in move(email, source.number)
    do_merge_tickets(sibling, into=make_ticket(volunteers), acting_user=None)
    assert "was merged into another ticket" in move(email, sibling.number)
    email.refresh_from_db()
    change.refresh_from_db()
    assert email.ticket_id == source.pk and change.ticket_id == source.pk
    assert not source.activities.filter(body__contains="moved").exists()

    client.force_login(bob_agent)  # an agent of another group does not even find the entry
    assert client.post(reverse("move_activity", args=[email.pk]), {"number": elsewhere.number}).status_code == 404
    email.refresh_from_db()
    assert email.ticket_id == source.pk


@pytest.mark.spec("CC-07")
def test_a_reply_still_waiting_in_the_outbox_is_not_moved(client: Client, volunteers, alice_agent):
    source, target = make_ticket(volunteers), make_ticket(volunteers)
    reply = do_reply_to_contact(
        source,
        to_address="maria@example.org",
        body_html="<p>Friday it is.</p>",
        acting_user=alice_agent,
        hold=dt.timedelta(seconds=30),
    )
    client.force_login(alice_agent)
    page = client.post(reverse("move_activity", args=[reply.pk]), {"number": target.number}, follow=True)
    assert "still being sent" in page.content.decode()
    reply.refresh_from_db()
    assert reply.ticket_id == source.pk


# --- a note on an entry -----------------------------------------------------------------------


@pytest.mark.spec("CC-07")
def test_a_note_on_an_entry_shows_under_it_for_agents_is_in_the_history_and_never_reaches_the_contact(
    client: Client, volunteers, alice_agent
):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    email = email_from(ticket, "Is the sofa still free?")
    change = ticket.activities.get(kind=ActivityKind.CREATED)
    client.force_login(alice_agent)

    client.post(reverse("add_activity_note", args=[email.pk]), {"body": "She lives on the 4th floor, no lift"})
    client.post(reverse("add_activity_note", args=[change.pk]), {"body": "Status set by the intake"})

    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    entry = page[page.index(f'id="activity-{email.pk}"') :]
    entry = entry[: entry.index("</li>")]
    assert "She lives on the 4th floor, no lift" in entry and "data-activity-note" in entry
    assert "Status set by the intake" in page
    history = list(ticket.activities.filter(kind=ActivityKind.CHANGED).values_list("body", flat=True))
    assert any(body.startswith("Note added to: Email from contact") for body in history)
    note = Activity.objects.get(parent=email)
    assert note.kind == ActivityKind.NOTE and note.actor == alice_agent
    assert note.pk not in shown_entries(page), "shown under its entry, not as an entry of its own"

    # The contact's link shows the email, never the note on it.
    client.logout()
    portal = client.get(reverse("portal_ticket", args=[ticket_token(ticket)])).content.decode()
    assert "Is the sofa still free?" in portal
    assert "4th floor" not in portal and "Status set by the intake" not in portal

    client.force_login(alice_agent)
    refused = client.post(reverse("add_activity_note", args=[note.pk]), {"body": "On a note"}, follow=True)
    assert "A note cannot have a note of its own" in refused.content.decode()
    assert not Activity.objects.filter(parent=note).exists()


@pytest.mark.spec("CC-07")
def test_an_agent_of_another_group_cannot_add_a_note_to_an_entry(client: Client, volunteers, bob_agent):
    ticket = make_ticket(volunteers)
    email = email_from(ticket, "Hello")
    client.force_login(bob_agent)
    assert client.post(reverse("add_activity_note", args=[email.pk]), {"body": "Peek"}).status_code == 404
    assert not Activity.objects.filter(parent=email).exists()


# --- downloads --------------------------------------------------------------------------------


@pytest.mark.spec("CC-07")
def test_download_all_gives_a_zip_of_the_entrys_files_to_agents_of_its_group_only(
    client: Client, volunteers, alice_agent, bob_agent
):
    ticket = make_ticket(volunteers)
    email = email_from(
        ticket, "Three files", files=[("invoice.pdf", PDF), ("invoice.pdf", PDF + b"2"), ("notes.txt", b"hello")]
    )
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert reverse("activity_files", args=[email.pk]) in page

    response = client.get(reverse("activity_files", args=[email.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"ticket-{ticket.number}-files-{email.pk}.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["invoice (2).pdf", "invoice.pdf", "notes.txt"]
    assert archive.read("invoice (2).pdf") == PDF + b"2" and archive.read("notes.txt") == b"hello"

    file = email.attachments.get(filename="notes.txt")
    one = client.get(reverse("download_attachment", args=[file.pk]))
    assert one["Content-Disposition"].startswith("attachment;") and b"".join(one.streaming_content) == b"hello"

    client.force_login(bob_agent)
    assert client.get(reverse("activity_files", args=[email.pk])).status_code == 404
    assert client.get(reverse("download_attachment", args=[file.pk])).status_code == 404


@pytest.mark.spec("CC-07")
def test_a_zip_larger_than_memory_allows_is_built_and_sent_with_bounded_memory(
    client: Client, volunteers, alice_agent, monkeypatch
):
    monkeypatch.setattr(downloads, "ZIP_IN_MEMORY_BYTES", 512 * 1024)
    ticket = make_ticket(volunteers)
    scans = [(f"scan-{n}.pdf", os.urandom(4 * 1024 * 1024)) for n in range(3)]  # 12 MB that do not compress
    email = email_from(ticket, "Scans", files=scans)
    client.force_login(alice_agent)

    tracemalloc.start()
    try:
        response = client.get(reverse("activity_files", args=[email.pk]))
        sent = sum(len(chunk) for chunk in response.streaming_content)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 200 and sent == int(response["Content-Length"]) > 12 * 1024 * 1024
    assert peak < 3 * 1024 * 1024, f"the whole zip was held in memory: {peak} bytes at the peak"


# --- my activities ----------------------------------------------------------------------------


@pytest.mark.spec("CC-07")
def test_my_activities_lists_my_own_entries_across_tickets_by_kind_newest_first(
    client: Client, volunteers, donations, alice_in_both, bob_agent
):
    first, second = make_ticket(volunteers), make_ticket(donations)
    with time_machine.travel(T0, tick=False) as clock:
        do_add_note(first, body="Called the driver", acting_user=alice_in_both)
        clock.shift(dt.timedelta(minutes=5))
        do_change_ticket_status(
            second, status=donations.statuses.get(kind=StatusKind.PENDING), acting_user=alice_in_both
        )
        clock.shift(dt.timedelta(minutes=5))
        do_add_note(second, body="Bob's own note", acting_user=make_agent("carl", "CA", groups=[donations]))
    client.force_login(alice_in_both)

    page = client.get(reverse("my_activities")).content.decode()

    assert "Called the driver" in page and "Bob's own note" not in page
    assert page.index(f"#{second.number} {second.title}") < page.index(f"#{first.number} {first.title}")
    assert chip_counts(page) == {"all": 2, "change": 1, "note": 1}
    notes = client.get(reverse("my_activities"), {"kind": "note"}).content.decode()
    assert "Called the driver" in notes and f"#{second.number}" not in notes
    assert reverse("my_activities") in client.get(reverse("home")).content.decode(), "linked from the menu"

    Membership.objects.filter(user=alice_in_both, group=volunteers).delete()
    assert "Called the driver" not in client.get(reverse("my_activities")).content.decode()


@pytest.mark.spec("CC-07")
def test_my_activities_costs_the_same_queries_for_10_and_200_entries_and_pages(client: Client, volunteers, alice_agent):
    tickets = [make_ticket(volunteers) for _ in range(5)]
    client.force_login(alice_agent)

    def queries_with(total: int) -> int:
        while Activity.objects.filter(actor=alice_agent).count() < total:
            n = Activity.objects.filter(actor=alice_agent).count()
            activity = do_add_note(tickets[n % 5], body=f"Note {n}", acting_user=alice_agent)
            if n % 7 == 0:
                do_add_activity_note(
                    activity.ticket.activities.exclude(kind=ActivityKind.NOTE).first(),
                    body="on",
                    acting_user=alice_agent,
                )
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("my_activities")).status_code == 200
        return len(context.captured_queries)

    assert queries_with(10) == queries_with(200)
    second_page = client.get(reverse("my_activities"), {"page": 2}).content.decode()
    assert second_page.count("data-activity=") == 50 and "2 / " in second_page
