from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from switchboard.tickets.actions import (
    OpenTicketExistsError,
    StaleTicketError,
    TicketError,
    TicketHeader,
    do_add_note,
    do_assign_ticket,
    do_change_ticket_status,
    do_close_ticket,
    do_create_ticket,
    do_merge_tickets,
    do_move_ticket,
    do_purge_expired_tickets,
    do_reopen_ticket,
    do_update_ticket,
)
from switchboard.tickets.models import (
    STATUS_KIND_LOOK,
    Activity,
    ActivityKind,
    Attachment,
    Status,
    StatusKind,
    Ticket,
    TicketSource,
)
from switchboard.tickets.tests.factories import make_contact, make_ticket


def header_of(ticket: Ticket, **changes: object) -> TicketHeader:
    values = {
        "title": ticket.title,
        "status": ticket.status,
        "owner": ticket.owner,
        "next_action": ticket.next_action,
        "due_at": ticket.due_at,
    }
    values.update(changes)
    return TicketHeader(**values)  # type: ignore[arg-type]


def history(ticket: Ticket) -> list[Activity]:
    return list(ticket.activities.filter(kind__in=ActivityKind.history_kinds()).order_by("id"))


# --- CORE-02: numbers and titles ---------------------------------------------------------


@pytest.mark.spec("CORE-02")
def test_ticket_numbers_are_sequential_and_never_reused_after_deletion(volunteers):
    first, second = make_ticket(volunteers), make_ticket(volunteers)
    assert second.number == first.number + 1
    second.delete()
    third = make_ticket(volunteers)
    assert third.number == second.number + 1
    assert Ticket.objects.filter(number=third.number).count() == 1


@pytest.mark.spec("CORE-02")
def test_new_ticket_is_titled_contact_name_and_group_and_starts_in_the_initial_status(volunteers):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"), source=TicketSource.WEB)
    assert ticket.title == "Maria Garcia (Volunteers)"
    assert ticket.status.is_initial and ticket.status.group == volunteers
    assert ticket.source == TicketSource.WEB and ticket.is_open and ticket.version == 1


@pytest.mark.spec("CORE-02")
def test_ticket_number_cannot_be_changed_through_an_update(volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    number = ticket.number
    do_update_ticket(ticket, header=header_of(ticket, title="Tour dates"), expected_version=1, acting_user=alice_agent)
    ticket.refresh_from_db()
    assert ticket.number == number and ticket.title == "Tour dates"


# --- CORE-03: one open ticket per contact and group --------------------------------------


@pytest.mark.spec("CORE-03")
def test_second_open_ticket_for_the_same_contact_and_group_is_refused(volunteers, donations):
    maria = make_contact()
    first = make_ticket(volunteers, contact=maria)
    with pytest.raises(OpenTicketExistsError) as refused:
        make_ticket(volunteers, contact=maria)
    assert refused.value.existing == first
    assert str(first.number) in str(refused.value)
    # Another group is another conversation.
    assert make_ticket(donations, contact=maria).group == donations


@pytest.mark.spec("CORE-03")
def test_the_database_itself_refuses_a_second_open_ticket(volunteers):
    ticket = make_ticket(volunteers)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(
            number=ticket.number + 100, group=volunteers, contact=ticket.contact, title="x", status=ticket.status
        )


@pytest.mark.spec("CORE-03")
def test_a_closed_ticket_leaves_room_for_a_new_one_and_cannot_be_reopened_beside_it(volunteers):
    maria = make_contact()
    old = do_close_ticket(make_ticket(volunteers, contact=maria), acting_user=None)
    new = make_ticket(volunteers, contact=maria)
    with pytest.raises(OpenTicketExistsError):
        do_reopen_ticket(old, acting_user=None)
    do_close_ticket(new, acting_user=None)
    assert do_reopen_ticket(old, acting_user=None).is_open


# --- CORE-04: statuses -----------------------------------------------------------------------


@pytest.mark.spec("CORE-04")
def test_a_new_group_has_a_status_of_every_kind_with_icon_colour_and_one_initial(volunteers):
    statuses = list(volunteers.statuses.all())
    assert {s.kind for s in statuses} == set(StatusKind.values)
    assert [s.kind for s in statuses if s.is_initial] == [StatusKind.NEW]
    needs_contact = volunteers.statuses.get(kind=StatusKind.NEEDS_CONTACT)
    assert needs_contact.icon_name == "bi-telephone-fill" and needs_contact.colour_value == "#e0a800"
    assert volunteers.statuses.get(kind=StatusKind.SCHEDULED).icon_name == "bi-hourglass-split"
    assert all(kind in STATUS_KIND_LOOK for kind in StatusKind.values)


def form_values(html: str) -> dict[str, list[str]]:
    """What a browser would post back from the page's form, unchanged."""

    class Fields(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.values: dict[str, list[str]] = {}
            self.select: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {key: value or "" for key, value in attrs}
            if tag == "input" and a.get("name") and a.get("type") not in {"submit", "checkbox"}:
                self.values.setdefault(a["name"], []).append(a.get("value", ""))
            elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
                self.values.setdefault(a["name"], []).append(a.get("value", "on"))
            elif tag == "select":
                self.select = a.get("name")
            elif tag == "option" and self.select and "selected" in a:
                self.values.setdefault(self.select, []).append(a.get("value", ""))
            elif tag == "textarea":
                self.values[a["name"]] = [""]

        def handle_data(self, data: str) -> None:
            if self.lasttag == "textarea" and data.strip():
                name = next(reversed(self.values))
                self.values[name] = [data.strip()]

        def handle_endtag(self, tag: str) -> None:
            if tag == "select":
                self.select = None

    parser = Fields()
    parser.feed(html)
    return parser.values


@pytest.mark.spec("CORE-04")
def test_a_group_names_its_own_statuses_and_the_kind_drives_behaviour(client, volunteers, alice_agent, dave_admin):
    completed = volunteers.statuses.get(kind=StatusKind.COMPLETED)
    client.force_login(dave_admin)  # statuses are the administrators' (the group's page in the admin)
    url = reverse("admin:tickets_group_change", args=[volunteers.pk])
    form = form_values(client.get(url).content.decode())
    [field] = [name for name, value in form.items() if name.endswith("-id") and value == [str(completed.pk)]]
    form[field.removesuffix("-id") + "-name"] = ["Pick-up done"]
    assert client.post(url, form).status_code == 302
    done = volunteers.statuses.get(name="Pick-up done")
    assert done.pk == completed.pk
    ticket = do_change_ticket_status(make_ticket(volunteers), status=done, acting_user=alice_agent)
    assert ticket.status.kind == StatusKind.COMPLETED and ticket.is_open
    with pytest.raises(IntegrityError), transaction.atomic():
        Status.objects.create(group=volunteers, name="Second initial", kind=StatusKind.NEW, is_initial=True)


@pytest.mark.spec("CORE-04")
def test_status_of_another_group_or_a_closed_kind_is_refused_by_change_status(volunteers, donations, alice_agent):
    ticket = make_ticket(volunteers)
    with pytest.raises(TicketError):
        do_change_ticket_status(ticket, status=donations.statuses.first(), acting_user=None)
    with pytest.raises(TicketError):
        do_change_ticket_status(ticket, status=volunteers.statuses.get(kind=StatusKind.CLOSED), acting_user=None)
    ticket.refresh_from_db()
    assert ticket.status.is_initial


# --- CORE-13: optimistic locking ---------------------------------------------------------


@pytest.mark.spec("CORE-13")
def test_a_save_based_on_a_stale_copy_is_refused_and_changes_nothing(volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    annas_copy = Ticket.objects.get(pk=ticket.pk)
    geoffs_copy = Ticket.objects.get(pk=ticket.pk)
    do_update_ticket(
        annas_copy, header=header_of(annas_copy, title="Anna's title"), expected_version=1, acting_user=alice_agent
    )
    activities_before = Activity.objects.count()
    with pytest.raises(StaleTicketError) as refused:
        do_update_ticket(
            geoffs_copy,
            header=header_of(geoffs_copy, title="Geoff's title", next_action="Call back"),
            expected_version=geoffs_copy.version,
            acting_user=alice_agent,
        )
    assert "Refresh" in str(refused.value)
    ticket.refresh_from_db()
    assert (ticket.title, ticket.next_action, ticket.version) == ("Anna's title", "", 2)
    assert Activity.objects.count() == activities_before


# --- CORE-09: history ----------------------------------------------------------------------


@pytest.mark.spec("CORE-09")
def test_update_records_every_changed_field_old_to_new_with_who_and_when(volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    due = timezone.now() + dt.timedelta(days=1)
    waiting = volunteers.statuses.get(kind=StatusKind.WAITING_CONTACT)
    do_update_ticket(
        ticket,
        header=header_of(ticket, title="Tour dates", status=waiting, owner=alice_agent, next_action="Call", due_at=due),
        expected_version=1,
        acting_user=alice_agent,
    )
    change = history(ticket)[-1]
    assert change.kind == ActivityKind.CHANGED and change.actor == alice_agent and change.created_at
    by_field = {c["field"]: (c["old"], c["new"]) for c in change.changes}
    assert by_field["title"] == ("Maria Garcia (Volunteers)", "Tour dates")
    assert by_field["status"] == ("New", waiting.name)
    assert by_field["owner"] == ("", "AL")
    assert by_field["next_action"] == ("", "Call")
    assert by_field["due_at"][1].startswith(due.date().isoformat())


@pytest.mark.spec("CORE-09")
def test_saving_without_changes_writes_no_history_and_keeps_the_version(volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    ticket = do_update_ticket(ticket, header=header_of(ticket), expected_version=1, acting_user=alice_agent)
    assert ticket.version == 1 and len(history(ticket)) == 1


@pytest.mark.spec("CORE-09")
@pytest.mark.parametrize(
    ("act", "kind"),
    [
        ("create", ActivityKind.CREATED),
        ("status", ActivityKind.CHANGED),
        ("assign", ActivityKind.CHANGED),
        ("move", ActivityKind.CHANGED),
        ("merge", ActivityKind.MERGED),
        ("note", ActivityKind.NOTE),
        ("close", ActivityKind.CLOSED),
        ("reopen", ActivityKind.REOPENED),
    ],
)
def test_every_action_writes_its_history_entry_with_its_actor(act, kind, volunteers, donations, alice_agent):
    from switchboard.tickets.tests.factories import make_agent

    mover = make_agent("mover", "MV", groups=[volunteers, donations])
    ticket = make_ticket(volunteers)
    before = Activity.objects.count()
    if act == "create":
        ticket = do_create_ticket(volunteers, contact=make_contact(), source=TicketSource.PHONE, acting_user=mover)
    elif act == "status":
        do_change_ticket_status(ticket, status=volunteers.statuses.get(kind=StatusKind.SCHEDULED), acting_user=mover)
    elif act == "assign":
        do_assign_ticket(ticket, owner=alice_agent, acting_user=mover)
    elif act == "move":
        do_move_ticket(ticket, group=donations, reset_status_and_form=False, acting_user=mover)
    elif act == "merge":
        do_merge_tickets(ticket, into=make_ticket(volunteers), acting_user=mover)
        before += 2  # the survivor's own creation entries
    elif act == "note":
        do_add_note(ticket, body="Called, no answer.", acting_user=mover)
    elif act == "close":
        do_close_ticket(ticket, acting_user=mover)
    elif act == "reopen":
        do_close_ticket(ticket, acting_user=None)
        before += 1
        do_reopen_ticket(ticket, acting_user=mover)
    written = Activity.objects.order_by("id")[before:]
    assert written, "the action wrote no history"
    assert all(a.actor == mover for a in written)
    assert kind in {a.kind for a in written}


# --- CORE-08: move and merge ---------------------------------------------------------------


def with_form_data(group, form_data: dict[str, object]) -> Ticket:
    """A ticket opened with its group's form filled in."""
    return do_create_ticket(
        group, contact=make_contact(), source=TicketSource.PHONE, form_data=form_data, acting_user=None
    )


@pytest.mark.spec("CORE-08")
def test_move_keeps_the_status_kind_and_form_data(volunteers, donations, dave_admin):
    ticket = with_form_data(volunteers, {"pickup": "Friday"})
    ticket = do_change_ticket_status(
        ticket, status=volunteers.statuses.get(kind=StatusKind.SCHEDULED), acting_user=dave_admin
    )
    moved = do_move_ticket(ticket, group=donations, reset_status_and_form=False, acting_user=dave_admin)
    assert moved.group == donations
    assert moved.status == donations.statuses.get(kind=StatusKind.SCHEDULED)
    assert moved.form_data == {"pickup": "Friday"}


@pytest.mark.spec("CORE-08", "CC-05")
def test_campaign_move_resets_status_to_initial_and_clears_form_data(volunteers, donations, alice_agent, dave_admin):
    ticket = do_assign_ticket(with_form_data(volunteers, {"pickup": "Friday"}), owner=alice_agent, acting_user=None)
    ticket = do_change_ticket_status(
        ticket, status=volunteers.statuses.get(kind=StatusKind.SCHEDULED), acting_user=None
    )
    moved = do_move_ticket(ticket, group=donations, reset_status_and_form=True, acting_user=dave_admin)
    assert moved.status.is_initial and moved.status.group == donations
    assert moved.form_data == {}
    assert moved.owner is None, "alice is not a member of Donations"
    fields = {c["field"] for c in history(moved)[-1].changes}
    assert {"group", "status", "owner", "form_data"} <= fields


@pytest.mark.spec("CORE-08", "CORE-03")
def test_move_is_refused_when_the_contact_has_an_open_ticket_in_the_target_group(volunteers, donations, dave_admin):
    maria = make_contact()
    ticket = make_ticket(volunteers, contact=maria)
    there = make_ticket(donations, contact=maria)
    with pytest.raises(OpenTicketExistsError) as refused:
        do_move_ticket(ticket, group=donations, reset_status_and_form=False, acting_user=dave_admin)
    assert refused.value.existing == there
    ticket.refresh_from_db()
    assert ticket.group == volunteers


@pytest.mark.spec("CORE-08")
def test_merge_moves_the_whole_timeline_closes_the_merged_ticket_and_points_to_the_survivor(volunteers, alice_agent):
    merged, survivor = make_ticket(volunteers), make_ticket(volunteers)
    do_add_note(merged, body="Photo of the sofa attached.", acting_user=alice_agent)
    do_add_note(merged, body="Customer prefers mornings.", acting_user=alice_agent)
    merged_entries = set(Activity.objects.filter(ticket=merged).values_list("id", flat=True))
    survivor_before = survivor.activities.count()

    do_merge_tickets(merged, into=survivor, acting_user=alice_agent)

    merged.refresh_from_db()
    assert merged.merged_into == survivor and not merged.is_open and merged.status.is_closed
    assert merged_entries <= set(survivor.activities.values_list("id", flat=True))
    assert survivor.activities.count() == survivor_before + len(merged_entries) + 1
    assert list(merged.activities.values_list("kind", flat=True)) == [ActivityKind.MERGED]
    with pytest.raises(TicketError):
        do_reopen_ticket(merged, acting_user=alice_agent)


@pytest.mark.spec("CORE-08")
def test_a_ticket_cannot_be_merged_into_itself_or_into_a_merged_ticket(volunteers):
    a, b, c = make_ticket(volunteers), make_ticket(volunteers), make_ticket(volunteers)
    with pytest.raises(TicketError):
        do_merge_tickets(a, into=a, acting_user=None)
    do_merge_tickets(b, into=c, acting_user=None)
    with pytest.raises(TicketError):
        do_merge_tickets(a, into=b, acting_user=None)


# --- CORE-11: photos deleted on close --------------------------------------------------------


def attach(ticket: Ticket, name: str, content_type: str) -> Attachment:
    activity = Activity.objects.create(ticket=ticket, kind=ActivityKind.EMAIL_IN, body="see attached")
    attachment = Attachment(activity=activity, filename=name, content_type=content_type, size=4)
    attachment.file.save(name, ContentFile(b"data"), save=True)
    return attachment


@pytest.mark.spec("CORE-11")
def test_closing_deletes_photos_where_the_group_says_so_and_keeps_other_files(
    donations, django_capture_on_commit_callbacks
):
    donations.purge_photos_on_close = True
    donations.save()
    ticket = make_ticket(donations)
    photo, pdf = attach(ticket, "sofa.jpg", "image/jpeg"), attach(ticket, "receipt.pdf", "application/pdf")
    assert default_storage.exists(photo.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        do_close_ticket(ticket, acting_user=None)

    assert not Attachment.objects.filter(pk=photo.pk).exists()
    assert not default_storage.exists(photo.file.name)
    assert Attachment.objects.filter(pk=pdf.pk).exists() and default_storage.exists(pdf.file.name)
    assert "1 photo" in history(ticket)[-1].body


@pytest.mark.spec("CORE-11")
def test_closing_keeps_photos_where_the_group_does_not_purge(volunteers):
    ticket = make_ticket(volunteers)
    photo = attach(ticket, "flyer.png", "image/png")
    do_close_ticket(ticket, acting_user=None)
    assert Attachment.objects.filter(pk=photo.pk).exists()


# --- who may act ---------------------------------------------------------------------------


def test_an_agent_outside_the_group_can_neither_create_nor_change_its_tickets(volunteers, bob_agent):
    ticket = make_ticket(volunteers)
    with pytest.raises(PermissionDenied):
        do_create_ticket(volunteers, contact=make_contact(), source=TicketSource.AGENT, acting_user=bob_agent)
    with pytest.raises(PermissionDenied):
        do_add_note(ticket, body="sneaky", acting_user=bob_agent)
    with pytest.raises(PermissionDenied):
        do_update_ticket(ticket, header=header_of(ticket, title="x"), expected_version=1, acting_user=bob_agent)
    ticket.refresh_from_db()
    assert ticket.title != "x" and not ticket.activities.filter(kind=ActivityKind.NOTE).exists()


def test_an_owner_must_be_a_member_of_the_group(volunteers, bob_agent):
    with pytest.raises(PermissionDenied):
        do_assign_ticket(make_ticket(volunteers), owner=bob_agent, acting_user=None)


def test_an_empty_note_is_refused(volunteers, alice_agent):
    with pytest.raises(TicketError):
        do_add_note(make_ticket(volunteers), body="   ", acting_user=alice_agent)


# --- retention -----------------------------------------------------------------------------


def test_retention_purge_deletes_only_tickets_closed_before_the_period(volunteers):
    volunteers.retention_days = 30
    volunteers.save()
    old, recent, still_open = make_ticket(volunteers), make_ticket(volunteers), make_ticket(volunteers)
    do_close_ticket(old, acting_user=None)
    do_close_ticket(recent, acting_user=None)
    Ticket.objects.filter(pk=old.pk).update(closed_at=timezone.now() - dt.timedelta(days=31))

    assert do_purge_expired_tickets(volunteers) == 1
    assert set(Ticket.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not Activity.objects.filter(ticket_id=old.pk).exists()
