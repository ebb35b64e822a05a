"""A group's statuses (CORE-04, ADMIN-01): its managers' page, closing with success or with the
success cancelled (seed 001) and counting them apart, built-in names in the reader's language,
and the ticket's source changed on its page (CC-02)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.tickets.actions import do_change_ticket_status, do_close_ticket, do_create_ticket
from switchboard.tickets.models import Status, StatusKind, Ticket, TicketSource
from switchboard.tickets.tests.factories import make_agent, make_ticket


@pytest.fixture
def mona_manager(volunteers):
    """A manager of Volunteers."""
    return make_agent("mona", "MO", groups=[volunteers], role="manager")


def speaking(agent, language):
    agent.agent_profile.language = language
    agent.agent_profile.save()
    return agent


def statuses_url(group) -> str:
    return reverse("group_statuses", args=[group.slug])


def row_post(status: Status, **changes: str) -> dict[str, str]:
    return {"name": status.display_name, "kind": status.kind, "colour": status.colour_value, **changes}


def names(group) -> list[str]:
    return list(group.statuses.order_by("position", "id").values_list("name", flat=True))


# --- the statuses page ------------------------------------------------------------------------


@pytest.mark.spec("CORE-04", "ADMIN-01")
def test_only_the_groups_managers_open_and_change_its_statuses(client, volunteers, alice_agent, bob_agent, dave_admin):
    pending = volunteers.statuses.get(kind=StatusKind.PENDING)
    client.force_login(alice_agent)  # an agent of the group
    assert client.get(statuses_url(volunteers)).status_code == 403
    update = reverse("update_status", args=[volunteers.slug, pending.pk])
    assert client.post(update, row_post(pending, name="Hacked")).status_code == 403
    assert "Hacked" not in names(volunteers)
    client.force_login(bob_agent)  # not even in the group
    assert client.get(statuses_url(volunteers)).status_code == 404
    client.force_login(dave_admin)  # an administrator manages every group
    assert client.get(statuses_url(volunteers)).status_code == 200
    # Only managers see the way to the page.
    client.force_login(alice_agent)
    assert statuses_url(volunteers) not in client.get(reverse("team", args=[volunteers.slug])).content.decode()


@pytest.mark.spec("CORE-04", "ADMIN-01")
def test_a_manager_renames_recolours_and_changes_the_kind_of_a_status(client, volunteers, mona_manager):
    pending = volunteers.statuses.get(kind=StatusKind.PENDING)
    client.force_login(mona_manager)
    page = client.get(statuses_url(volunteers)).content.decode()
    assert 'value="With another team"' in page and 'type="color"' in page

    response = client.post(
        reverse("update_status", args=[volunteers.slug, pending.pk]),
        row_post(pending, name="Waiting for the supplier", kind=StatusKind.SCHEDULED, colour="#123456"),
        follow=True,
    )

    assert "Status “Waiting for the supplier” saved." in response.content.decode()
    pending.refresh_from_db()
    assert (pending.name, pending.kind, pending.colour) == ("Waiting for the supplier", StatusKind.SCHEDULED, "#123456")
    assert pending.icon_name == "bi-hourglass-split"  # the kind's icon
    # Saving a row unchanged keeps a built-in name built in (it goes on following the language).
    new = volunteers.statuses.get(kind=StatusKind.NEW)
    client.force_login(speaking(mona_manager, "pl"))
    client.post(reverse("update_status", args=[volunteers.slug, new.pk]), row_post(new))
    new.refresh_from_db()
    assert (new.name, new.colour) == ("New", "")


@pytest.mark.spec("CORE-04", "ADMIN-01")
def test_names_are_unique_in_a_group_whatever_the_case_or_the_language(client, volunteers, mona_manager):
    pending = volunteers.statuses.get(kind=StatusKind.PENDING)
    client.force_login(speaking(mona_manager, "pl"))
    url = reverse("update_status", args=[volunteers.slug, pending.pk])

    page = client.post(url, row_post(pending, name="zamknięta"), follow=True).content.decode()  # "Closed" in Polish

    assert "Grupa ma już status o nazwie" in page
    pending.refresh_from_db()
    assert pending.name == "With another team"
    added = client.post(statuses_url(volunteers), {"name": "NOWA", "kind": StatusKind.PENDING})
    assert added.status_code == 400 and Status.objects.filter(group=volunteers).count() == 9


@pytest.mark.spec("CORE-04", "ADMIN-01")
def test_a_manager_adds_a_status_orders_it_and_makes_it_initial(client, volunteers, mona_manager):
    client.force_login(mona_manager)

    client.post(statuses_url(volunteers), {"name": "Lead to call", "kind": StatusKind.NEEDS_CONTACT})

    lead = volunteers.statuses.get(name="Lead to call")
    assert names(volunteers)[-1] == "Lead to call" and lead.colour == "" and not lead.is_initial
    move = reverse("move_status", args=[volunteers.slug, lead.pk])
    for _ in range(len(names(volunteers)) - 1):
        client.post(move, {"direction": "up"})
    assert names(volunteers)[0] == "Lead to call"
    client.post(move, {"direction": "up"})  # already first: nothing moves
    client.post(move, {"direction": "down"})
    assert names(volunteers)[:2] == ["New", "Lead to call"]

    client.post(reverse("make_initial_status", args=[volunteers.slug, lead.pk]))

    assert list(volunteers.statuses.filter(is_initial=True)) == [lead]
    ticket = do_create_ticket(volunteers, contact=None, source=TicketSource.PHONE, acting_user=None)
    assert ticket.status == lead
    # The ticket page's status menu follows the new order.
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    menu = re.search(r'<select name="status".*?</select>', page, re.S).group(0)
    assert menu.index("New") < menu.index("Lead to call") < menu.index("Call the contact")


@pytest.mark.spec("CORE-04", "ADMIN-01")
def test_a_status_that_tickets_have_is_not_removed_and_the_page_says_how_many(client, volunteers, mona_manager):
    scheduled = volunteers.statuses.get(kind=StatusKind.SCHEDULED)
    for ticket in (make_ticket(volunteers), make_ticket(volunteers)):
        do_change_ticket_status(ticket, status=scheduled, acting_user=None)
    client.force_login(mona_manager)
    remove = reverse("remove_status", args=[volunteers.slug, scheduled.pk])

    page = client.post(remove, follow=True).content.decode()

    assert "Scheduled: 2 tickets have this status. Move them to another status first" in page
    assert volunteers.statuses.filter(pk=scheduled.pk).exists()
    assert "2 tickets" in page  # the row says it too
    pending = volunteers.statuses.get(kind=StatusKind.PENDING)
    page = client.post(reverse("remove_status", args=[volunteers.slug, pending.pk]), follow=True).content.decode()
    assert "Status “With another team” removed." in page
    assert not volunteers.statuses.filter(pk=pending.pk).exists()


@pytest.mark.spec("CORE-04", "ADMIN-01")
def test_the_group_keeps_an_open_initial_status_and_a_closed_one(client, volunteers, mona_manager):
    client.force_login(mona_manager)
    new = volunteers.statuses.get(kind=StatusKind.NEW)
    closed = volunteers.statuses.get(kind=StatusKind.CLOSED)

    refused = [
        client.post(reverse("remove_status", args=[volunteers.slug, new.pk]), follow=True),
        client.post(
            reverse("update_status", args=[volunteers.slug, new.pk]), row_post(new, kind=StatusKind.CLOSED), follow=True
        ),
        client.post(reverse("make_initial_status", args=[volunteers.slug, closed.pk]), follow=True),
        client.post(reverse("remove_status", args=[volunteers.slug, closed.pk]), follow=True),
        client.post(
            reverse("update_status", args=[volunteers.slug, closed.pk]),
            row_post(closed, kind=StatusKind.CLOSED_SUCCESS),
            follow=True,
        ),
    ]

    pages = [response.content.decode() for response in refused]
    assert "The initial status cannot be removed" in pages[0]
    assert "The initial status cannot be of a closed kind" in pages[1] and "cannot be of a closed kind" in pages[2]
    assert "The group needs a status of the kind “Closed”" in pages[3] and "kind “Closed”" in pages[4]
    new.refresh_from_db()
    closed.refresh_from_db()
    assert (new.kind, new.is_initial, closed.kind, closed.is_initial) == (
        StatusKind.NEW,
        True,
        StatusKind.CLOSED,
        False,
    )


@pytest.mark.spec("CORE-04")
def test_a_status_in_use_does_not_move_between_open_and_closed_kinds(client, volunteers, mona_manager):
    pending = volunteers.statuses.get(kind=StatusKind.PENDING)
    do_change_ticket_status(make_ticket(volunteers), status=pending, acting_user=None)
    client.force_login(mona_manager)
    url = reverse("update_status", args=[volunteers.slug, pending.pk])

    page = client.post(url, row_post(pending, kind=StatusKind.CLOSED_SUCCESS), follow=True).content.decode()
    assert "1 ticket has this status. It cannot move between the open and the closed kinds" in page
    client.post(url, row_post(pending, kind=StatusKind.SCHEDULED))  # open to open: fine

    pending.refresh_from_db()
    assert pending.kind == StatusKind.SCHEDULED


@pytest.mark.spec("CORE-04", "ADMIN-01")
def test_the_statuses_page_costs_a_fixed_number_of_queries(client, volunteers, mona_manager):
    client.force_login(mona_manager)
    url = statuses_url(volunteers)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(12):
        Status.objects.create(group=volunteers, name=f"Extra {index}", kind=StatusKind.PENDING, position=20 + index)
    for _ in range(5):
        make_ticket(volunteers)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.decode().count("data-status=") == 21
    assert len(many) == len(few)


# --- closing with success or cancelled, counted apart -----------------------------------------


@pytest.mark.spec("CORE-04")
def test_close_offers_closed_with_success_and_success_cancelled_and_the_closed_list_counts_them_apart(
    client, volunteers, alice_agent
):
    success = volunteers.statuses.get(kind=StatusKind.CLOSED_SUCCESS)
    cancelled = volunteers.statuses.get(kind=StatusKind.SUCCESS_CANCELLED)
    sold, returned, plain, other = (make_ticket(volunteers) for _ in range(4))
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[sold.number])).content.decode()
    menu = re.search(r"data-close-menu.*?</form>", page, re.S).group(0)
    assert f'name="status" value="{success.pk}"' in menu and "Closed with success" in menu
    assert f'name="status" value="{cancelled.pk}"' in menu and "Success cancelled" in menu

    client.post(reverse("close_ticket", args=[sold.number]), {"status": success.pk})
    client.post(reverse("close_ticket", args=[returned.number]), {"status": cancelled.pk})
    client.post(reverse("close_ticket", args=[plain.number]))  # the button itself: plain "Closed"
    client.post(reverse("close_ticket", args=[other.number]), {"status": volunteers.statuses.get(kind="new").pk})

    kinds = {t.number: (t.status.kind, t.is_open) for t in Ticket.objects.select_related("status")}
    assert kinds == {
        sold.number: (StatusKind.CLOSED_SUCCESS, False),
        returned.number: (StatusKind.SUCCESS_CANCELLED, False),
        plain.number: (StatusKind.CLOSED, False),
        other.number: (StatusKind.NEW, True),  # an open status does not close
    }
    history = client.get(reverse("ticket", args=[sold.number])).content.decode()
    assert "Status</span>: New → Closed with success" in history
    closed_page = client.get(reverse("closed_tickets", args=[volunteers.slug])).content.decode()
    counts = dict(re.findall(r'data-closed-kind="(\w+)".*?<strong>(\d+)</strong>', closed_page))
    assert counts == {"closed": "1", "closed_success": "1", "success_cancelled": "1"}


@pytest.mark.spec("CORE-04")
def test_the_closed_counts_cost_the_same_queries_for_ten_or_many_tickets(client, volunteers, alice_agent):
    success = volunteers.statuses.get(kind=StatusKind.CLOSED_SUCCESS)
    client.force_login(alice_agent)
    url = reverse("closed_tickets", args=[volunteers.slug])

    def close(count: int) -> None:
        for index in range(count):
            do_close_ticket(make_ticket(volunteers), status=success if index % 2 else None, acting_user=None)

    close(10)
    with CaptureQueriesContext(connection) as ten:
        client.get(url)
    close(40)
    with CaptureQueriesContext(connection) as fifty:
        page = client.get(url).content.decode()
    assert len(fifty) == len(ten)
    assert re.search(r'data-closed-kind="closed_success".*?<strong>25</strong>', page)


# --- built-in names in the reader's language --------------------------------------------------


@pytest.mark.spec("CORE-04", "ADMIN-04")
def test_a_polish_reader_sees_czeka_na_kontakt_wherever_the_built_in_status_shows(client, volunteers, alice_agent):
    waiting = volunteers.statuses.get(kind=StatusKind.WAITING_CONTACT)
    renamed = volunteers.statuses.get(kind=StatusKind.PENDING)
    renamed.name = "Pending"  # a group's own name that happens to be a word the interface translates
    renamed.save()
    ticket = make_ticket(volunteers)
    do_change_ticket_status(ticket, status=waiting, acting_user=None)
    do_change_ticket_status(make_ticket(volunteers), status=renamed, acting_user=None)
    client.force_login(speaking(alice_agent, "pl"))
    pages = {
        "list": reverse("open_tickets", args=[volunteers.slug]),
        "ticket": reverse("ticket", args=[ticket.number]),
        "home": reverse("home"),
        "search": reverse("search") + f"?q={ticket.number}",
        "view": reverse("ticket_view", args=["status-waiting_contact"]),
        "statuses": statuses_url(volunteers),
    }
    alice_agent.memberships.update(role="manager")  # the statuses page is the managers'

    for name, url in pages.items():
        page = client.get(url).content.decode()
        assert "Czeka na kontakt" in page, name
        assert "Waiting for the contact" not in page, name
    ticket_page = client.get(pages["ticket"]).content.decode()
    assert "Status</span>: Nowa → Czeka na kontakt" in ticket_page  # the history
    bulk_bar = client.get(pages["list"]).content.decode()
    assert re.search(rf'<option value="{waiting.pk}">Czeka na kontakt</option>', bulk_bar)
    assert f'<option value="{renamed.pk}">Pending</option>' in bulk_bar  # the group's own name, as written


@pytest.mark.spec("CORE-04")
def test_history_shows_a_groups_own_status_name_as_written_even_if_the_interface_translates_that_word(
    client, volunteers, alice_agent
):
    own = Status.objects.create(group=volunteers, name="Pending", kind=StatusKind.PENDING, position=30)
    ticket = make_ticket(volunteers)
    do_change_ticket_status(ticket, status=own, acting_user=None)
    client.force_login(speaking(alice_agent, "pl"))
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert "Status</span>: Nowa → Pending" in page


# --- CC-02: the source, on the ticket page --------------------------------------------------


@pytest.mark.spec("CC-02")
def test_the_source_is_changed_on_the_ticket_page_recorded_in_history_and_shown_as_an_icon_in_lists(
    client, volunteers, alice_agent
):
    ticket = make_ticket(volunteers, source=TicketSource.EMAIL)
    client.force_login(alice_agent)
    url = reverse("ticket", args=[ticket.number])
    page = client.get(url).content.decode()
    assert re.search(r'<select name="source"[^>]*>.*?<option value="email" selected>Email</option>', page, re.S)
    form = {
        "title": ticket.title,
        "status": ticket.status_id,
        "owner": "",
        "next_action": "",
        "due_at": "",
        "source": TicketSource.PHONE,
        "version": ticket.version,
    }

    assert client.post(url, form).status_code == 302

    ticket.refresh_from_db()
    assert ticket.source == TicketSource.PHONE
    page = client.get(url).content.decode()
    assert "Source</span>: Email → Inbound call" in page  # the history names the sources
    listing = client.get(reverse("open_tickets", args=[volunteers.slug])).content.decode()
    assert (
        '<i class="bi bi-telephone-inbound" title="Inbound call" aria-hidden="true"></i>'
        '<span class="visually-hidden">Inbound call</span>'
    ) in listing
    home = client.get(reverse("home")).content.decode()  # the home page's lists too
    assert '<i class="bi bi-telephone-inbound text-muted" title="Inbound call" aria-hidden="true"></i>' in home
    client.force_login(speaking(alice_agent, "pl"))
    page = client.get(url).content.decode()
    assert "Źródło</span>: E-mail → Połączenie przychodzące" in page


@pytest.mark.spec("CORE-04")
def test_the_migration_renames_the_built_in_cancelled_status_and_keeps_a_groups_own_name(db):
    import importlib

    from django.apps import apps

    from switchboard.tickets.models import Group

    kept, renamed = Group.objects.create(name="A", slug="a"), Group.objects.create(name="B", slug="b")
    old = Status.objects.create(group=kept, name="Cancelled", kind=StatusKind.SUCCESS_CANCELLED)
    own = Status.objects.create(group=renamed, name="Returned", kind=StatusKind.SUCCESS_CANCELLED)
    migration = importlib.import_module("switchboard.tickets.migrations.0020_success_cancelled_built_in_name")

    migration.forwards(apps, None)

    old.refresh_from_db()
    own.refresh_from_db()
    assert (old.name, old.is_built_in, own.name) == ("Success cancelled", True, "Returned")


@pytest.mark.spec("CORE-04", "ADMIN-04")
def test_a_built_in_status_whose_kind_changed_still_follows_the_readers_language(client, volunteers, mona_manager):
    pending = volunteers.statuses.get(kind=StatusKind.PENDING)
    client.force_login(speaking(mona_manager, "pl"))

    client.post(
        reverse("update_status", args=[volunteers.slug, pending.pk]), row_post(pending, kind=StatusKind.SCHEDULED)
    )

    pending.refresh_from_db()
    assert (pending.kind, pending.name) == (StatusKind.SCHEDULED, "With another team")
    page = client.get(statuses_url(volunteers)).content.decode()
    assert 'value="W innym zespole"' in page
