"""The contact's pages (CC-01): what the contact page shows, what the edit and new pages save or
refuse, who sees which of the contact's tickets, and the page's fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.contacts.actions import ContactDetails, PointInput, do_update_contact
from switchboard.contacts.models import Contact, ContactField, ContactPoint
from switchboard.contacts.signals import contact_renamed
from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.global_search import find_tickets_and_contacts
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.spec("CC-01")


@pytest.fixture
def fields(db):
    return {
        "number": ContactField.objects.create(name="Customer number", kind=ContactField.Kind.NUMBER, position=1),
        "date": ContactField.objects.create(name="Date of birth", kind=ContactField.Kind.DATE, position=2),
        "choice": ContactField.objects.create(
            name="Segment", kind=ContactField.Kind.CHOICE, choices="Gold\nSilver\n", position=3
        ),
        "text": ContactField.objects.create(name="Preferred hours", kind=ContactField.Kind.TEXT, position=4),
    }


def edit_post(contact: Contact, *, points: list[dict[str, object]] | None = None, **changes: object) -> dict:
    """What the edit page sends: the contact as it is, with ``changes``."""
    current = [
        {"id": p.pk, "kind": p.kind, "value": p.value, "label": p.label, "is_primary": p.is_primary}
        for p in contact.points.order_by("kind", "-is_primary", "pk")
    ]
    rows = current if points is None else points
    data: dict[str, object] = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "company_name": contact.company_name,
        "street": contact.street,
        "postcode": contact.postcode,
        "city": contact.city,
        "country": contact.country,
        "language": contact.language,
        "points-TOTAL_FORMS": str(len(rows)),
        "points-INITIAL_FORMS": "0",
    }
    for key, value in contact.custom_values.items():
        data[f"custom_{key}"] = value
    for i, row in enumerate(rows):
        for name, value in row.items():
            if name == "is_primary" or name == "DELETE":
                if value:
                    data[f"points-{i}-{name}"] = "on"
            else:
                data[f"points-{i}-{name}"] = "" if value is None else value
    data.update(changes)
    return data


def test_the_contact_page_shows_labelled_phones_and_emails_the_address_and_custom_fields(client, alice_agent, fields):
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    details = ContactDetails(
        first_name="Anna",
        last_name="Nowak",
        points=[
            PointInput("email", "anna@example.org", "work", True),
            PointInput("phone", "+48 601 234 567", "mobile", True),
            PointInput("phone", "+48 22 123 45 67", "home"),
        ],
        street="ul. Piotrkowska 1",
        postcode="90-001",
        city="Łódź",
        country="Polska",
        custom_values={
            str(fields["number"].pk): "1234",
            str(fields["date"].pk): "1980-04-02",
            str(fields["choice"].pk): "Gold",
        },
        language="pl",
    )
    do_update_contact(contact, details=details, acting_user=alice_agent)
    client.force_login(alice_agent)

    page = client.get(reverse("contact", args=[contact.pk])).content.decode()

    assert "Anna Nowak" in page and "bi-person" in page
    assert 'href="tel:+48601234567"' in page and 'href="mailto:anna@example.org"' in page
    mobile = page.split('data-point="+48601234567"')[1].split("</li>")[0]
    assert "Mobile" in mobile and "primary" in mobile
    assert "Home" in page.split('data-point="+48221234567"')[1].split("</li>")[0]
    assert "Work" in page.split('data-point="anna@example.org"')[1].split("</li>")[0]
    assert "ul. Piotrkowska 1<br>90-001 Łódź<br>Polska" in page
    assert "Customer number" in page and ">1,234<" in page or ">1234<" in page
    assert 'data-custom="Date of birth">' in page and "1980" in page
    assert 'data-custom="Segment">Gold<' in page
    assert "Polski" in page  # the language of the contact's mail


def test_the_contact_page_in_polish(client, alice_agent, fields):
    contact = make_contact("Anna", "Nowak")
    ContactPoint.objects.filter(contact=contact).update(label=ContactPoint.Label.HOME)
    client.force_login(alice_agent)
    client.post(reverse("set_language"), {"language": "pl"})
    page = client.get(reverse("contact", args=[contact.pk])).content.decode()
    assert "Telefony i e-maile" in page and "Dom" in page and "Sprawy" in page


def test_a_company_has_a_building_and_its_name(client, alice_agent):
    from switchboard.contacts.actions import do_create_contact

    company = do_create_contact(kind=Contact.Kind.COMPANY, company_name="Systell sp. z o.o.", acting_user=None)
    client.force_login(alice_agent)
    page = client.get(reverse("contact", args=[company.pk])).content.decode()
    assert "Systell sp. z o.o." in page and "bi-building" in page


def test_the_edit_page_saves_labels_primaries_address_custom_fields_and_language(client, alice_agent, fields):
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    client.force_login(alice_agent)
    response = client.post(
        reverse("edit_contact", args=[contact.pk]),
        edit_post(
            contact,
            points=[
                {"kind": "email", "value": "anna@example.org", "label": "work"},
                {"kind": "phone", "value": "+48 601-234-567", "label": "mobile"},
                {"kind": "phone", "value": "+48221234567", "label": "home", "is_primary": True},
            ],
            street="Długa 5",
            city="Gdańsk",
            language="pl",
            **{
                f"custom_{fields['number'].pk}": "1,212.5",
                f"custom_{fields['date'].pk}": "2001-09-11",
                f"custom_{fields['choice'].pk}": "Silver",
                f"custom_{fields['text'].pk}": "after 5 pm",
            },
        ),
    )
    assert response.status_code == 302 and response.url == reverse("contact", args=[contact.pk])
    contact.refresh_from_db()
    points = {(p.kind, p.value): (p.label, p.is_primary) for p in contact.points.all()}
    assert points == {
        ("email", "anna@example.org"): ("work", True),
        ("phone", "+48601234567"): ("mobile", False),
        ("phone", "+48221234567"): ("home", True),
    }
    assert (contact.street, contact.city, contact.language) == ("Długa 5", "Gdańsk", "pl")
    assert contact.custom_values == {
        str(fields["number"].pk): "1212.5",
        str(fields["date"].pk): "2001-09-11",
        str(fields["choice"].pk): "Silver",
        str(fields["text"].pk): "after 5 pm",
    }


def test_a_point_can_be_removed_and_an_unchanged_number_keeps_its_sms_opt_out(client, alice_agent):
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    client.force_login(alice_agent)
    client.post(
        reverse("edit_contact", args=[contact.pk]),
        edit_post(
            contact, points=[{"kind": "email", "value": "anna@example.org"}, {"kind": "phone", "value": "+48601234567"}]
        ),
    )
    ContactPoint.objects.filter(value="+48601234567").update(sms_opted_out_at="2026-01-01T00:00:00Z")
    rows = edit_post(contact)
    email_row = next(i for i in range(2) if rows[f"points-{i}-kind"] == "email")
    rows[f"points-{email_row}-DELETE"] = "on"
    rows[f"points-{1 - email_row}-label"] = "work"
    client.post(reverse("edit_contact", args=[contact.pk]), rows)
    [phone] = contact.points.all()
    assert (phone.value, phone.label, phone.sms_opted_out) == ("+48601234567", "work", True)


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("number", "twelve", "“twelve” is not a number."),
        ("date", "31.02.2020", "“31.02.2020” is not a date."),
        ("choice", "Platinum", "“Platinum” is not one of the choices."),
    ],
)
def test_a_custom_value_of_the_wrong_kind_is_refused_with_its_reason_and_nothing_is_saved(
    client, alice_agent, fields, kind, typed, message
):
    contact = make_contact("Anna", "Nowak")
    client.force_login(alice_agent)
    response = client.post(
        reverse("edit_contact", args=[contact.pk]),
        edit_post(contact, first_name="Annie", city="Kraków", **{f"custom_{fields[kind].pk}": typed}),
    )
    assert response.status_code == 400
    field_html = response.content.decode().split(f'for="id_custom_{fields[kind].pk}"')[1].split("</div>\n</div>")[0]
    assert message in field_html
    contact.refresh_from_db()
    assert (contact.first_name, contact.city, contact.custom_values) == ("Anna", "", {})


def test_a_phone_or_email_of_another_contact_is_refused_naming_it_and_nothing_is_saved(client, alice_agent):
    make_contact("Jan", "Kowalski", email="jan@example.org")
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    client.force_login(alice_agent)
    response = client.post(
        reverse("edit_contact", args=[contact.pk]),
        edit_post(
            contact,
            first_name="Annie",
            points=[{"kind": "email", "value": "anna@example.org"}, {"kind": "email", "value": "JAN@example.org"}],
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“jan@example.org” already belongs to another contact: Jan Kowalski." in page
    contact.refresh_from_db()
    assert contact.first_name == "Anna"
    assert list(contact.points.values_list("value", flat=True)) == ["anna@example.org"]


def test_a_malformed_phone_number_is_refused_beside_it(client, alice_agent):
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    client.force_login(alice_agent)
    response = client.post(
        reverse("edit_contact", args=[contact.pk]),
        edit_post(contact, points=[{"kind": "email", "value": "anna@example.org"}, {"kind": "phone", "value": "12"}]),
    )
    assert response.status_code == 400
    assert "is not a valid phone number." in response.content.decode()
    assert contact.points.count() == 1


def test_the_kind_cannot_be_changed_on_the_edit_page(client, alice_agent):
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    client.force_login(alice_agent)
    page = client.get(reverse("edit_contact", args=[contact.pk])).content.decode()
    assert 'name="kind"' not in page.replace('name="points-', "") and 'name="company_name"' not in page
    client.post(reverse("edit_contact", args=[contact.pk]), edit_post(contact, kind="company", company_name="ACME"))
    contact.refresh_from_db()
    assert (contact.kind, contact.company_name) == (Contact.Kind.PERSON, "")


def test_renaming_on_the_edit_page_keeps_the_tickets_findable_by_the_new_name(client, volunteers, alice_agent):
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    ticket = make_ticket(volunteers, contact=contact)
    renamed: list[Contact] = []
    contact_renamed.connect(lambda sender, contact, **kw: renamed.append(contact), weak=False, dispatch_uid="t")
    try:
        client.force_login(alice_agent)
        client.post(reverse("edit_contact", args=[contact.pk]), edit_post(contact, last_name="Zielińska"))
        client.post(reverse("edit_contact", args=[contact.pk]), edit_post(Contact.objects.get(pk=contact.pk)))
    finally:
        contact_renamed.disconnect(dispatch_uid="t")
    assert len(renamed) == 1  # only when the name changed
    assert ticket in find_tickets_and_contacts(alice_agent, "Zielińska", everything=True).tickets


def test_new_contact_person_and_company(client, alice_agent, fields):
    client.force_login(alice_agent)
    page = client.get(reverse("new_contact")).content.decode()
    assert 'name="first_name"' in page and "Customer number" in page
    response = client.post(
        reverse("new_contact"),
        {
            "kind": "company",
            "company_name": "Systell",
            "points-TOTAL_FORMS": "2",
            "points-INITIAL_FORMS": "0",
            "points-0-kind": "phone",
            "points-0-value": "+48 22 100 20 30",
            "points-0-label": "work",
            "points-1-kind": "email",
            "points-1-value": "",
            f"custom_{fields['choice'].pk}": "Gold",
            "street": "",
            "postcode": "",
            "city": "Warszawa",
            "country": "",
            "language": "",
        },
    )
    company = Contact.objects.get(company_name="Systell")
    assert response.status_code == 302 and response.url == reverse("contact", args=[company.pk])
    assert company.kind == Contact.Kind.COMPANY and company.city == "Warszawa"
    assert [(p.value, p.label, p.is_primary) for p in company.points.all()] == [("+48221002030", "work", True)]
    assert company.custom_values == {str(fields["choice"].pk): "Gold"}


def test_a_new_company_needs_its_name_and_nothing_is_created_without_it(client, alice_agent):
    client.force_login(alice_agent)
    response = client.post(
        reverse("new_contact"),
        {"kind": "company", "company_name": " ", "points-TOTAL_FORMS": "0", "points-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 400 and "Enter the company’s name." in response.content.decode()
    assert not Contact.objects.exists()


def test_add_a_phone_or_email_gives_one_more_row_and_saves_nothing(client, alice_agent):
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    client.force_login(alice_agent)
    response = client.post(
        reverse("edit_contact", args=[contact.pk]), {**edit_post(contact, first_name="Annie"), "add_point": "1"}
    )
    assert response.status_code == 200 and 'name="points-1-value"' in response.content.decode()
    contact.refresh_from_db()
    assert contact.first_name == "Anna"


def test_the_contact_lists_only_tickets_of_the_agents_groups_open_first(
    client, volunteers, donations, alice_agent, bob_agent
):
    contact = make_contact("Anna", "Nowak")
    closed = make_ticket(volunteers, contact=contact)
    do_close_ticket(closed, acting_user=None)
    elsewhere = make_ticket(donations, contact=contact)
    open_ = make_ticket(volunteers, contact=contact)
    client.force_login(alice_agent)

    page = client.get(reverse("contact", args=[contact.pk])).content.decode()

    assert page.index(f'data-number="{open_.number}"') < page.index(f'data-number="{closed.number}"')
    assert f'data-number="{elsewhere.number}"' not in page and elsewhere.title not in page
    assert "data-ticket-count>2<" in page
    client.force_login(bob_agent)
    page = client.get(reverse("contact", args=[contact.pk])).content.decode()
    assert f'data-number="{elsewhere.number}"' in page and "data-ticket-count>1<" in page
    assert f'data-number="{open_.number}"' not in page


def test_only_agents_see_contacts(client, db):
    contact = make_contact("Anna", "Nowak")
    nobody = make_agent("eve", "EV", groups=[])
    client.force_login(nobody)
    assert client.get(reverse("contact", args=[contact.pk])).status_code == 403
    assert (
        client.post(reverse("edit_contact", args=[contact.pk]), edit_post(contact, first_name="X")).status_code == 403
    )
    client.logout()
    assert client.get(reverse("contact", args=[contact.pk])).status_code == 302  # to sign in


def test_the_contact_page_takes_the_same_queries_for_10_tickets_as_for_120(client, volunteers, alice_agent, fields):
    contact = make_contact("Anna", "Nowak")
    for _ in range(10):
        do_close_ticket(make_ticket(volunteers, contact=contact), acting_user=None)
    open_ = make_ticket(volunteers, contact=contact)
    client.force_login(alice_agent)
    url = reverse("contact", args=[contact.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    do_close_ticket(open_, acting_user=None)
    for _ in range(109):
        do_close_ticket(make_ticket(volunteers, contact=contact), acting_user=None)
    make_ticket(volunteers, contact=contact)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "data-ticket-count>121<" in page
    assert len(many) == len(few), [q["sql"] for q in many]


def test_the_ticket_page_links_its_contact(client, volunteers, alice_agent):
    contact = make_contact("Anna", "Nowak")
    ticket = make_ticket(volunteers, contact=contact)
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    href = reverse("contact", args=[contact.pk])
    assert f'href="{href}" data-header-contact' in page  # in the header, beside the status
    assert f'href="{href}" data-contact-link' in page  # and on the contact card


def test_a_switched_off_field_is_not_shown_and_keeps_its_value(client, alice_agent, fields):
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    client.force_login(alice_agent)
    client.post(
        reverse("edit_contact", args=[contact.pk]), edit_post(contact, **{f"custom_{fields['text'].pk}": "mornings"})
    )
    fields["text"].active = False
    fields["text"].save()
    contact.refresh_from_db()
    client.post(reverse("edit_contact", args=[contact.pk]), edit_post(contact, city="Kraków"))
    assert "Preferred hours" not in client.get(reverse("contact", args=[contact.pk])).content.decode()
    contact.refresh_from_db()
    assert contact.custom_values[str(fields["text"].pk)] == "mornings" and contact.city == "Kraków"


@pytest.mark.parametrize(
    ("language", "kind", "typed", "kept"),
    [
        ("pl", "number", "12,5", "12.5"),
        ("en", "number", "1,200", "1200"),
        ("pl", "date", "02.04.1980", "1980-04-02"),
        ("en", "date", "1980-04-02", "1980-04-02"),
        ("en", "text", "  after 5 pm ", "after 5 pm"),
        ("en", "choice", "Gold", "Gold"),
    ],
)
def test_custom_values_are_read_as_the_agents_language_writes_them(fields, language, kind, typed, kept):
    from django.utils import translation

    from switchboard.contacts.fields import parse_custom_value

    with translation.override(language):
        assert parse_custom_value(fields[kind], typed) == kept


def test_the_edit_page_shows_a_date_as_the_agents_language_writes_it(client, alice_agent, fields):
    contact = make_contact("Anna", "Nowak")
    Contact.objects.filter(pk=contact.pk).update(custom_values={str(fields["date"].pk): "1980-04-02"})
    client.force_login(alice_agent)
    client.post(reverse("set_language"), {"language": "pl"})
    page = client.get(reverse("edit_contact", args=[contact.pk])).content.decode()
    assert 'value="02.04.1980"' in page and 'placeholder="dd.mm.rrrr"' in page
    assert "02.04.1980" in client.get(reverse("contact", args=[contact.pk])).content.decode()


def test_the_call_button_is_beside_each_number_where_the_phone_channel_is_set_up(client, volunteers, alice_agent):
    from switchboard.phone.models import PhoneNumber
    from switchboard.tickets.models import AgentProfile

    contact = make_contact("Anna", "Nowak")
    do_update_contact(
        contact,
        details=ContactDetails(first_name="Anna", last_name="Nowak", points=[PointInput("phone", "+48601234567")]),
        acting_user=None,
    )
    closed = make_ticket(volunteers, contact=contact)
    do_close_ticket(closed, acting_user=None)
    AgentProfile.objects.filter(user=alice_agent).update(phone="+48501234567")
    client.force_login(alice_agent)
    url = reverse("contact", args=[contact.pk])
    number = PhoneNumber(number="+48221234567", account_sid="AC" + "0" * 32, default_group=volunteers)
    number.auth_token = "secret"
    number.save()
    assert "/call/" not in client.get(url).content.decode()  # no open ticket to log the call on

    ticket = make_ticket(volunteers, contact=contact)
    page = client.get(url).content.decode()
    assert f'action="/phone/tickets/{ticket.number}/call/"' in page and 'value="+48601234567"' in page
    assert f"A call is logged on ticket #{ticket.number}." in page

    PhoneNumber.objects.update(enabled=False)
    assert "/call/" not in client.get(url).content.decode()  # no phone channel: the number is a tel: link


def test_administrators_define_contact_fields_in_the_admin(client, dave_admin, alice_agent):
    client.force_login(dave_admin)
    url = reverse("admin:contacts_contactfield_add")
    refused = client.post(url, {"name": "Segment", "kind": "choice", "choices": " ", "position": 1, "active": "on"})
    assert "A choice field needs at least one choice." in refused.content.decode()
    client.post(url, {"name": "Segment", "kind": "choice", "choices": "Gold\nSilver", "position": 1, "active": "on"})
    field = ContactField.objects.get(name="Segment")
    assert field.choice_list == ["Gold", "Silver"]
    client.force_login(alice_agent)
    page = client.get(reverse("new_contact")).content.decode()
    assert f'name="custom_{field.pk}"' in page and '<option value="Gold">Gold</option>' in page


def test_a_choice_the_field_no_longer_offers_stays_until_changed(client, alice_agent, fields):
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    Contact.objects.filter(pk=contact.pk).update(custom_values={str(fields["choice"].pk): "Bronze"})
    contact.refresh_from_db()
    client.force_login(alice_agent)
    page = client.get(reverse("edit_contact", args=[contact.pk])).content.decode()
    assert '<option value="Bronze" selected>Bronze</option>' in page
    response = client.post(reverse("edit_contact", args=[contact.pk]), edit_post(contact, city="Kraków"))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.custom_values == {str(fields["choice"].pk): "Bronze"} and contact.city == "Kraków"
