"""The agent's contact book (AGENT-03): private and shared entries and who sees and edits them,
the search (accents aside, a phone number in any format), the pages and their errors, and the
composer's suggestions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.tickets.contact_book import (
    can_edit_entry,
    do_delete_book_entry,
    do_save_book_entry,
    editable_entry_ids,
    search_book_entries,
)
from switchboard.tickets.models import BookEntry, Membership
from switchboard.tickets.tests.factories import make_agent

pytestmark = [pytest.mark.django_db, pytest.mark.spec("AGENT-03")]


def names(user, text=""):
    return [entry.name for entry in search_book_entries(user, text, limit=50)]


@pytest.fixture
def carol_agent(volunteers):
    """A second agent of Volunteers."""
    return make_agent("carol", "CA", groups=[volunteers])


@pytest.fixture
def mona_manager(volunteers):
    return make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)


def test_a_private_entry_is_its_owners_alone_and_a_shared_one_its_groups(
    volunteers, alice_agent, carol_agent, bob_agent, dave_admin
):
    do_save_book_entry(acting_user=alice_agent, name="Alice's plumber", phones=["+48 601 234 567"])
    do_save_book_entry(acting_user=alice_agent, name="Food bank warehouse", group=volunteers)
    do_save_book_entry(acting_user=bob_agent, name="Bob's accountant")

    assert names(alice_agent) == ["Alice's plumber", "Food bank warehouse"]
    assert names(carol_agent) == ["Food bank warehouse"]  # same group: not Alice's private one
    assert names(bob_agent) == ["Bob's accountant"]  # another group sees none of Volunteers'
    assert names(dave_admin) == ["Food bank warehouse"]  # every group's, nobody's private ones


def test_the_search_finds_words_without_accents_and_a_phone_number_typed_any_way(alice_agent):
    do_save_book_entry(
        acting_user=alice_agent,
        name="Zofia Wójcik",
        organisation="Łódzkie Wodociągi",
        phones=["+48 42 630 12 34"],
        emails=["Zofia.Wojcik@Wodociagi.example"],
    )
    do_save_book_entry(acting_user=alice_agent, name="Grzegorz Brzęczyszczykiewicz", phones=["+1 202 555 0143"])

    assert names(alice_agent, "wojcik") == ["Zofia Wójcik"]
    assert names(alice_agent, "LODZKIE zof") == ["Zofia Wójcik"]
    assert names(alice_agent, "wodociagi.example") == ["Zofia Wójcik"]
    assert names(alice_agent, "0048 42-630-12-34") == ["Zofia Wójcik"]
    assert names(alice_agent, "(202) 555 0143") == ["Grzegorz Brzęczyszczykiewicz"]  # national, region US
    assert names(alice_agent, "+1 202") == ["Grzegorz Brzęczyszczykiewicz"]
    assert names(alice_agent, "brzeczy") == ["Grzegorz Brzęczyszczykiewicz"]
    assert names(alice_agent, "wojcik grzegorz") == []  # every word must match


def test_phones_and_addresses_are_stored_normalised_and_bad_ones_refused_by_field(alice_agent):
    entry = do_save_book_entry(
        acting_user=alice_agent,
        name="  Depot  ",
        phones=["+48 601-234-567", "+48601234567", ""],
        emails=["Depot@Example.org"],
    )
    entry.refresh_from_db()
    assert (entry.name, entry.phones, entry.emails) == ("Depot", ["+48601234567"], ["depot@example.org"])

    with pytest.raises(ValidationError) as refused:
        do_save_book_entry(acting_user=alice_agent, entry=entry, name="", phones=["12"], emails=["not an address"])
    assert set(refused.value.message_dict) == {"name", "phones", "emails"}
    assert "“12” is not a valid phone number." in refused.value.message_dict["phones"]
    assert entry.name == "Depot"  # left intact, the object as the database
    entry.refresh_from_db()
    assert (entry.name, entry.phones) == ("Depot", ["+48601234567"])


def test_the_owner_and_the_groups_managers_edit_a_shared_entry_other_members_do_not(
    volunteers, donations, alice_agent, carol_agent, mona_manager, bob_agent
):
    shared = do_save_book_entry(acting_user=alice_agent, name="Warehouse", group=volunteers)
    private = do_save_book_entry(acting_user=alice_agent, name="My dentist")

    assert can_edit_entry(alice_agent, shared) and can_edit_entry(mona_manager, shared)
    assert not can_edit_entry(carol_agent, shared) and not can_edit_entry(bob_agent, shared)
    assert not can_edit_entry(mona_manager, private)  # private: its owner alone
    assert editable_entry_ids(mona_manager, [shared]) == editable_entry_ids(alice_agent, [shared]) == {shared.pk}
    assert editable_entry_ids(carol_agent, [shared]) == set()
    with pytest.raises(PermissionDenied):
        do_save_book_entry(acting_user=carol_agent, entry=shared, name="Renamed")
    with pytest.raises(PermissionDenied):
        do_delete_book_entry(private, acting_user=mona_manager)
    with pytest.raises(PermissionDenied):  # a manager cannot make someone's entry private to themselves
        do_save_book_entry(acting_user=mona_manager, entry=shared, name="Warehouse")
    with pytest.raises(ValidationError) as refused:  # shared only with a group of one's own
        do_save_book_entry(acting_user=alice_agent, name="Elsewhere", group=donations)
    assert "group" in refused.value.message_dict

    do_save_book_entry(acting_user=mona_manager, entry=shared, name="Central warehouse", group=volunteers)
    do_delete_book_entry(shared, acting_user=mona_manager)
    assert list(BookEntry.objects.values_list("name", flat=True)) == ["My dentist"]


def test_the_page_lists_what_the_agent_sees_in_a_fixed_number_of_queries(client, volunteers, alice_agent, carol_agent):
    def entries(count, start):
        for number in range(start, start + count):
            do_save_book_entry(
                acting_user=carol_agent,
                name=f"Partner {number}",
                phones=[f"+4860100{number:04d}"],
                emails=[f"p{number}@example.org"],
                group=volunteers,
            )

    client.force_login(alice_agent)
    entries(2, 0)
    do_save_book_entry(acting_user=alice_agent, name="Mine", notes="Call after 5 pm")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("book"))
    entries(20, 100)
    for number in range(5):  # her own shared ones, which she edits
        do_save_book_entry(acting_user=alice_agent, name=f"Shared {number}", group=volunteers)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("book"))
    assert len(many) == len(few)
    page = response.content.decode()
    assert page.count("data-book-entry=") == 28
    assert "Call after 5 pm" in page and "p119@example.org" in page
    assert page.count("Edit<span") == 6  # her own entries; not Carol's in the group

    found = client.get(reverse("book"), {"q": "p119@example"}).content.decode()
    assert found.count("data-book-entry=") == 1


def test_adding_an_entry_shows_errors_beside_the_fields_and_keeps_what_was_typed(client, volunteers, alice_agent):
    client.force_login(alice_agent)
    response = client.post(
        reverse("book_new"),
        {"name": "", "organisation": "Łódź Water", "phones": "+48 42 630 12 34\nabc", "emails": "", "group": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "An entry needs a name." in page
    assert "“abc” is not a valid phone number." in page
    assert "Łódź Water" in page
    assert not BookEntry.objects.exists()

    response = client.post(
        reverse("book_new"),
        {
            "name": "Water works",
            "phones": "+48 42 630 12 34, (601) 234-5678",
            "emails": "desk@water.example",
            "group": str(volunteers.pk),
        },
    )
    assert response.status_code == 302
    entry = BookEntry.objects.get()
    assert (entry.group, entry.owner, entry.phones) == (volunteers, alice_agent, ["+48426301234", "+16012345678"])


def test_another_groups_agent_cannot_open_or_delete_an_entry(client, volunteers, alice_agent, carol_agent, bob_agent):
    shared = do_save_book_entry(acting_user=alice_agent, name="Warehouse", group=volunteers)
    client.force_login(bob_agent)
    assert client.get(reverse("book_edit", args=[shared.pk])).status_code == 404
    assert client.post(reverse("book_delete", args=[shared.pk])).status_code == 404
    client.force_login(carol_agent)
    assert client.get(reverse("book_edit", args=[shared.pk])).status_code == 403
    assert client.post(reverse("book_delete", args=[shared.pk])).status_code == 403
    client.force_login(alice_agent)
    assert client.post(reverse("book_delete", args=[shared.pk])).status_code == 302
    assert not BookEntry.objects.exists()


def test_the_composer_is_offered_the_addresses_of_the_entries_the_agent_sees(
    client, volunteers, alice_agent, bob_agent
):
    do_save_book_entry(
        acting_user=alice_agent,
        name="Zoë Müller",
        emails=["zoe@partner.example", "office@partner.example"],
        group=volunteers,
    )
    do_save_book_entry(acting_user=alice_agent, name="Zoe without address", phones=["+48601234567"])
    do_save_book_entry(acting_user=bob_agent, name="Zoe of Donations", emails=["zoe@donations.example"])
    client.force_login(alice_agent)

    page = client.get(reverse("book_suggestions"), {"q": "zoe"}).content.decode()
    assert 'data-value="zoe@partner.example"' in page and 'data-value="office@partner.example"' in page
    assert "without address" not in page and "donations" not in page
    assert "No address in the contact book" in client.get(reverse("book_suggestions"), {"q": "nobody"}).content.decode()


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_has_anna_private_and_shared_entries_loaded_once(language):
    from django.contrib.auth.models import User

    from switchboard.tickets.demo import load_demo_data
    from switchboard.tickets.demo_book import load_book_demo

    load_demo_data(language)
    load_book_demo(language)
    anna = User.objects.get(username="anna")
    seen = search_book_entries(anna, "", limit=50)
    assert {entry.is_private for entry in seen} == {True, False}
    assert len(seen) == 4  # not the Clients' entry: she is no member there
    load_book_demo(language)  # a second start changes nothing
    assert BookEntry.objects.count() == 5
