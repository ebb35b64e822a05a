"""Contact search (CC-01): by name, company, email and phone number typed any way, accents or
not, as one types; the words follow renames and new points; a fixed number of queries; and the
contacts list and its suggestions. Run on SQLite (FTS5) and PostgreSQL (pg_trgm) alike."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from switchboard.contacts.actions import do_create_contact, do_rename_contact
from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.search import fold, words_of
from switchboard.contacts.search_views import PAGE_SIZE
from switchboard.contacts.selectors import search_contacts
from switchboard.testing.query_plans import captured_statements, full_scans, plan_of, seed_for_plans
from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.spec("CC-01")


def person(first: str, last: str, *, emails: tuple[str, ...] = (), phones: tuple[str, ...] = ()) -> Contact:
    return do_create_contact(
        kind=Contact.Kind.PERSON, first_name=first, last_name=last, emails=emails, phones=phones, acting_user=None
    )


def names(query: str, *, limit: int = 20) -> list[str]:
    return [contact.display_name for contact in search_contacts(query, limit=limit)]


@pytest.fixture
def people(db, settings):
    settings.PHONE_REGION = "PL"  # "601 234 567" is read as a Polish number
    maria = person("Maria", "Garcia", emails=("maria.garcia@example.org",), phones=("+48 601 234 567",))
    piotr = person("Piotr", "Wiśniewski", emails=("piotr@poczta.example",), phones=("+44 7700 900123",))
    lodz = do_create_contact(
        kind=Contact.Kind.COMPANY, company_name="Łódź Piekarnia Sp. z o.o.", emails=["biuro@piekarnia.example"],
        acting_user=None,
    )  # fmt: skip
    return maria, piotr, lodz


def test_letters_lose_their_accents_and_case_even_those_unicode_keeps_whole():
    assert fold("Łódź") == "lodz"
    assert fold("ŻÓŁW Müller Straße Øresund") == "zolw muller strasse oresund"
    assert words_of("maria.garcia@Example.ORG") == ["maria", "garcia", "example", "org"]


def test_lodz_finds_lodz_with_its_accents(people):
    assert names("lodz") == ["Łódź Piekarnia Sp. z o.o."]
    assert names("ŁÓDŹ") == names("Lodz piek") == ["Łódź Piekarnia Sp. z o.o."]
    assert names("wisniewski") == names("wiśn") == ["Piotr Wiśniewski"]


def test_a_name_is_found_by_the_beginnings_of_its_words_in_any_order(people):
    assert names("mar") == ["Maria Garcia"]
    assert names("garcia maria") == names("GAR M") == ["Maria Garcia"]
    assert names("aria") == []  # the middle of a word is no match
    assert names("maria nowak") == []  # every word must match


def test_a_company_is_found_by_its_name(people):
    assert names("piekarnia") == ["Łódź Piekarnia Sp. z o.o."]


def test_an_email_address_is_found_whole_or_begun(people):
    assert names("maria.garcia@example.org") == ["Maria Garcia"]
    assert names("maria.garcia@ex") == ["Maria Garcia"]
    assert names("biuro@") == ["Łódź Piekarnia Sp. z o.o."]
    assert names("poczta") == ["Piotr Wiśniewski"]


@pytest.mark.parametrize(
    "typed",
    ["+48601234567", "+48 601-234-567", "601234567", "601 234 567", "0048601234567", "(0048) 601 23", "601 234"],
)
def test_a_phone_number_typed_in_any_format_whole_or_begun_finds_its_contact(people, typed):
    assert names(typed) == ["Maria Garcia"]


def test_a_foreign_number_is_found_in_international_form(people):
    assert names("+44 7700 900 123") == names("0044 7700") == ["Piotr Wiśniewski"]


def test_the_newest_contacts_come_first_and_a_text_without_words_finds_nobody(people):
    assert names("") == ["Łódź Piekarnia Sp. z o.o.", "Piotr Wiśniewski", "Maria Garcia"]
    assert names("e", limit=2) == ["Łódź Piekarnia Sp. z o.o.", "Piotr Wiśniewski"]  # "example": all three
    assert names("?!") == []


def test_a_renamed_contact_is_found_by_its_new_name_only(people):
    _maria, piotr, _lodz = people
    do_rename_contact(piotr, first_name="Paweł", last_name="Łukasik", company_name="", acting_user=None)
    assert names("pawel lukas") == ["Paweł Łukasik"]
    assert names("wisniewski") == []
    assert names("+44 7700") == names("piotr@poczta") == ["Paweł Łukasik"]  # the points stay his


def test_a_new_or_changed_point_makes_its_contact_findable_by_it_and_a_deleted_one_not(people):
    maria, _piotr, _lodz = people
    point = ContactPoint.objects.create(contact=maria, kind=ContactPoint.Kind.EMAIL, value="mg@firma.example")
    assert names("firma") == ["Maria Garcia"]
    point.value = "mg@biuro-rachunkowe.example"
    point.save()
    assert names("firma") == [] and names("rachunk") == ["Maria Garcia"]
    point.delete()
    assert names("rachunk") == []


def test_a_contact_made_or_changed_in_the_admin_is_found(people, client, dave_admin):
    client.force_login(dave_admin)
    response = client.post(
        "/admin/contacts/contact/add/",
        {
            "kind": "person",
            "first_name": "Zoë",
            "last_name": "Brzęczyszczykiewicz",
            "company_name": "",
            "language": "",
            "points-TOTAL_FORMS": "1",
            "points-INITIAL_FORMS": "0",
            "points-0-kind": "phone",
            "points-0-value": "+48 22 123 45 67",
        },
    )
    assert response.status_code == 302
    assert names("zoe brzeczy") == ["Zoë Brzęczyszczykiewicz"]
    assert names("+48 22 123") == ["Zoë Brzęczyszczykiewicz"]


def test_a_search_costs_two_queries_for_10_or_100_matching_contacts(db):
    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            person("Anna", f"Nowak{n}", emails=(f"anna{n}@example.org",), phones=(f"+4860{n:07d}",))

    add(10, 0)
    for query in ("anna", "nowak", "", "+48 60"):
        with CaptureQueriesContext(connection) as few:
            found = search_contacts(query, limit=8)
            [list(contact.points.all()) for contact in found]
        assert len(found) == 8
    add(90, 10)
    with CaptureQueriesContext(connection) as many:
        found = search_contacts("anna", limit=8)
        [list(contact.points.all()) for contact in found]
    assert len(found) == 8 and len(many) == len(few) == 2


def test_the_contacts_list_costs_the_same_queries_for_10_or_100_contacts(client, volunteers, alice_agent):
    """100: four pages of 25; a query for each contact shown would show as 15 more."""

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            make_ticket(volunteers, contact=person("Anna", f"Nowak{n}", emails=(f"anna{n}@example.org",)))

    client.force_login(alice_agent)
    add(10, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/contacts/", {"q": "anna"}).status_code == 200
        assert client.get("/contacts/suggestions/", {"q": "anna"}).status_code == 200
    add(90, 10)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/contacts/", {"q": "anna"}).content.decode()
        assert client.get("/contacts/suggestions/", {"q": "anna"}).status_code == 200
    assert len(many) == len(few)
    assert page.count('name="contact"') == PAGE_SIZE == 25


def test_the_search_reads_only_its_index_on_100k_like_data(db, settings):
    """The plan of each search, on seeded data with statistics: no large table is read whole
    (PostgreSQL: the trigram index; SQLite: the FTS5 index)."""
    seed_for_plans()
    settings.PHONE_REGION = "PL"
    contact = Contact.objects.filter(kind=Contact.Kind.PERSON).order_by("-id").first()
    phone = ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE).values_list("value", flat=True).first()
    for query in (contact.last_name, contact.first_name[:3], "m", "ma", phone[:9], "+48 60", "example.org", "zzzz"):
        with captured_statements() as statements:
            list(search_contacts(query, limit=9))
            list(search_contacts(query, limit=26, offset=25))
        assert full_scans(statements) == [], query
    # Everyone, newest first: the primary key read backwards until the LIMIT, which SQLite calls a
    # SCAN of the table (of its rowid B-tree) and PostgreSQL an index scan under a Limit.
    with captured_statements() as statements:
        list(search_contacts("", limit=9))
    assert all(" LIMIT 9" in scan and "ORDER BY" in scan for scan in full_scans(statements))


def test_a_name_is_looked_up_in_the_search_index(db):
    """Beyond the newest contacts (tested one by one), the search asks its index, on 20,000
    seeded contacts with statistics: PostgreSQL's trigram index, SQLite's FTS5 MATCH."""
    out = io.StringIO()
    call_command("seed_bench", tickets=100, contacts=20_000, groups=2, agents=2, seed=5, stdout=out, stderr=out)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE contacts_contact")
    with captured_statements() as statements:
        list(search_contacts("garcia", limit=8))
    plan = json.dumps(plan_of(statements[0]))  # PostgreSQL's with sequential scans off, as full_scans judges
    index = "contacts_contact_search_trgm" if connection.vendor == "postgresql" else "VIRTUAL TABLE INDEX"
    assert index in plan, plan


# --- the pages --------------------------------------------------------------------------------


def test_the_contacts_list_finds_every_contact_and_counts_only_the_agents_open_tickets(
    client, volunteers, donations, alice_agent, people
):
    maria, piotr, _lodz = people
    make_ticket(volunteers, contact=maria)
    do_close_ticket(make_ticket(volunteers, contact=piotr), acting_user=None)
    make_ticket(donations, contact=piotr)  # another group's: not counted for Alice
    client.force_login(alice_agent)
    page = client.get("/contacts/", {"q": "lodz"}).content.decode()
    assert "Łódź Piekarnia Sp. z o.o." in page and "biuro@piekarnia.example" in page  # no ticket: still found
    assert "Maria Garcia" not in page
    rows = client.get("/contacts/").content.decode()
    assert rows.index("Łódź Piekarnia") < rows.index("Piotr Wiśniewski") < rows.index("Maria Garcia")
    assert f'<input type="checkbox" name="contact" value="{maria.pk}" form="create-tickets"' in rows
    maria_row = rows[rows.index(f'data-contact="{maria.pk}"') :].split("</tr>")[0]
    piotr_row = rows[rows.index(f'data-contact="{piotr.pk}"') :].split("</tr>")[0]
    assert '<span class="badge rounded-pill text-bg-primary">1</span>' in maria_row
    assert "badge" not in piotr_row  # his open ticket is in Donations, which Alice does not see
    assert "+48601234567" in maria_row and "+447700900123" in piotr_row


def test_the_contacts_list_is_paged(client, alice_agent, db):
    for n in range(30):
        person("Ewa", f"Nowak{n:02d}")
    client.force_login(alice_agent)
    first = client.get("/contacts/", {"q": "ewa"}).content.decode()
    assert "Nowak29" in first and "Nowak05" in first and "Nowak04" not in first
    assert "?q=ewa&amp;page=2" in first
    second = client.get("/contacts/", {"q": "ewa", "page": "2"}).content.decode()
    assert "Nowak04" in second and "Nowak00" in second and "Nowak05" not in second
    assert "Contacts 26–30 found for “ewa”" in second
    assert client.get("/contacts/", {"page": "x"}).status_code == 200


def test_the_suggestions_link_each_contact_to_its_page_or_pick_it(client, alice_agent, people):
    maria, _piotr, _lodz = people
    client.force_login(alice_agent)
    suggestions = client.get("/contacts/suggestions/", {"q": "601 234"}).content.decode()
    assert f'href="/contacts/{maria.pk}/"' in suggestions and 'data-label="Maria Garcia"' in suggestions
    assert "maria.garcia@example.org" in suggestions and "+48601234567" in suggestions
    assert 'id="found-contact-' in suggestions
    picker = client.get("/contacts/suggestions/", {"q": "maria", "pick": "1"}).content.decode()
    assert f'id="pick-contact-{maria.pk}"' in picker and f'data-value="{maria.pk}"' in picker
    nothing = client.get("/contacts/suggestions/", {"q": "zzz"}).content.decode()
    assert "No contact found for “zzz”." in nothing
    assert client.get("/contacts/suggestions/").content.decode().strip() == ""


def test_the_contacts_pages_need_a_signed_in_user(client, db):
    assert client.get("/contacts/").status_code == 302
    assert client.get("/contacts/suggestions/", {"q": "a"}).status_code == 302


def test_the_navbar_offers_contacts_in_english_and_polish(client, alice_agent):
    client.force_login(alice_agent)
    assert 'href="/contacts/"' in client.get("/").content.decode()
    client.cookies["django_language"] = "pl"
    page = client.get("/contacts/").content.decode()
    assert "Kontakty" in page and "Nazwa, firma, telefon lub e-mail" in page
