"""Group (campaign) forms (CC-04) and the campaign move that clears them (CC-05): what agents
enter on a ticket's Form tab, what managers change on the form's page, and what tickets show,
find and export afterwards."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from switchboard.tickets.actions import StaleTicketError, do_move_ticket
from switchboard.tickets.form_values import form_loss_warning
from switchboard.tickets.global_search import find_tickets_and_contacts
from switchboard.tickets.group_forms import (
    FormInvalidError,
    do_add_form_field,
    do_move_form_field,
    do_rename_form_choice,
    do_save_ticket_form,
    do_set_form_choice_removed,
    do_set_form_field_hidden,
    do_update_form_field,
)
from switchboard.tickets.models import ActivityKind, FormField, Group, Membership, SearchEntry, StatusKind, Ticket
from switchboard.tickets.selectors import list_closed_tickets
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

Kind = FormField.Kind
pytestmark = pytest.mark.spec("CC-04")


@pytest.fixture
def mona_manager(volunteers):
    """A manager of Volunteers: she shapes its form."""
    return make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)


@pytest.fixture
def form(volunteers, mona_manager):
    """Volunteers' form, one field of each kind."""

    def add(label, kind, **options):
        return do_add_form_field(volunteers, label=label, kind=kind, acting_user=mona_manager, **options)

    return {
        "product": add("Product", Kind.CHOICE, choices=["Fibre 100", "Fibre 300"], required=True),
        "consent": add("Consent to call", Kind.CHECKBOX),
        "lines": add("Lines", Kind.NUMBER),
        "install": add("Install date", Kind.DATE),
        "extras": add("Extras", Kind.MULTI_CHOICE, choices=["TV", "Landline", "Router"]),
        "reference": add("Customer reference", Kind.TEXT),
        "notes": add("Notes", Kind.LONG_TEXT),
        "sale": add("Sale", Kind.STATUS_BUTTON, status=volunteers.statuses.get(kind=StatusKind.CLOSED_SUCCESS)),
        "call_back": add(
            "Call back", Kind.STATUS_BUTTON, status=volunteers.statuses.get(kind=StatusKind.NEEDS_CONTACT)
        ),
    }


def posted(form, **values) -> QueryDict:
    """What the Form tab posts: ``product="c2"``, ``extras=["c1", "c3"]``, ``consent=True``."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        key = f"field-{form[name].pk}"
        if value is True:
            data[key] = "on"
        elif isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def save(ticket, form, user, *, button=None, **values) -> Ticket:
    ticket.refresh_from_db()
    return do_save_ticket_form(
        ticket, data=posted(form, **values), expected_version=ticket.version, button=button, acting_user=user
    )


def errors_of(ticket, form, user, **values) -> dict[str, str]:
    with pytest.raises(FormInvalidError) as refused:
        save(ticket, form, user, **values)
    names = {str(field.pk): name for name, field in form.items()}
    return {names[key]: message for key, message in refused.value.errors.items()}


def history(ticket) -> list[dict[str, str]]:
    return [change for entry in ticket.activities.filter(kind=ActivityKind.CHANGED) for change in entry.changes]


# --- values: each kind checked on the server -------------------------------------------------


def test_each_kind_of_field_stores_what_the_agent_entered(volunteers, form, alice_agent):
    ticket = make_ticket(volunteers)
    saved = save(
        ticket,
        form,
        alice_agent,
        product="c2",
        consent=True,
        lines="1 200,50",
        install="2026-12-31",
        extras=["c3", "c1"],
        reference="  FX-  42 ",
        notes="Second floor.\nRing twice.",
    )
    assert saved.form_data == {
        str(form["product"].pk): "c2",
        str(form["consent"].pk): True,
        str(form["lines"].pk): "1200.5",
        str(form["install"].pk): "2026-12-31",
        str(form["extras"].pk): ["c1", "c3"],  # in the choices' order
        str(form["reference"].pk): "FX- 42",
        str(form["notes"].pk): "Second floor.\nRing twice.",
    }


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"product": ""}, "product", "This field is required."),
        ({"product": "c9"}, "product", "Choose from the options listed."),
        ({"lines": "twelve"}, "lines", "Enter a number, such as 12 or 3.5."),
        ({"lines": "1e999999"}, "lines", "Enter a number, such as 12 or 3.5."),
        ({"install": "12/31/2026"}, "install", "Enter a date, such as 2026-12-31."),  # American: read day first
        ({"install": "2026-02-30"}, "install", "Enter a date, such as 2026-12-31."),
        ({"extras": ["c1", "c7"]}, "extras", "Choose from the options listed."),
        ({"reference": "x" * 1001}, "reference", "At most 1000 characters."),
        ({"notes": "x" * 20001}, "notes", "At most 20000 characters."),
    ],
)
def test_a_wrong_value_is_refused_with_a_clear_error_and_nothing_is_saved(
    volunteers, form, alice_agent, values, field, message
):
    ticket = make_ticket(volunteers)
    before = (ticket.version, ticket.activities.count())
    errors = errors_of(ticket, form, alice_agent, **({"product": "c1", "reference": "kept?"} | values))
    assert errors[field] == message
    ticket.refresh_from_db()
    assert ticket.form_data == {} and (ticket.version, ticket.activities.count()) == before


@pytest.mark.parametrize(
    ("kind", "filled"),
    [
        (Kind.TEXT, "Yes"),
        (Kind.LONG_TEXT, "Yes"),
        (Kind.NUMBER, "3"),
        (Kind.DATE, "2027-01-02"),
        (Kind.CHOICE, "c1"),
        (Kind.MULTI_CHOICE, ["c1"]),
        (Kind.CHECKBOX, True),
    ],
)
def test_a_required_field_of_every_kind_must_be_filled_in(volunteers, mona_manager, alice_agent, kind, filled):
    choices = ["One"] if kind in Kind.with_choices() else []
    field = do_add_form_field(
        volunteers, label="Must", kind=kind, required=True, choices=choices, acting_user=mona_manager
    )
    form = {"must": field}
    ticket = make_ticket(volunteers)
    assert errors_of(ticket, form, alice_agent) == {"must": "This field is required."}
    if kind not in {Kind.CHECKBOX, Kind.MULTI_CHOICE}:
        assert errors_of(ticket, form, alice_agent, must="   ") == {"must": "This field is required."}
    assert save(ticket, form, alice_agent, must=filled).form_data[str(field.pk)]


def test_the_form_tab_shows_each_error_beside_its_field_and_keeps_what_was_typed(client, volunteers, form, alice_agent):
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    data = {"version": ticket.version, f"field-{form['lines'].pk}": "twelve", f"field-{form['reference'].pk}": "FX-42"}
    response = client.post(reverse("save_ticket_form", args=[ticket.number]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The form was not saved: correct the fields marked below." in page
    assert 'id="form-pane" role="tabpanel"' in page and 'class="tab-pane show active" id="form-pane"' in page
    assert f'id="id_field-{form["lines"].pk}-error" data-field-error>Enter a number, such as 12 or 3.5.' in page
    assert f'id="id_field-{form["product"].pk}-error" data-field-error>This field is required.' in page
    assert 'value="FX-42"' in page and 'value="twelve"' in page
    ticket.refresh_from_db()
    assert ticket.form_data == {}


def test_a_saved_form_is_recorded_in_the_history_with_labels_and_old_and_new_values(
    client, volunteers, form, alice_agent
):
    ticket = make_ticket(volunteers)
    save(ticket, form, alice_agent, product="c1", lines="2")
    save(ticket, form, alice_agent, product="c2", lines="2", consent=True)
    assert history(ticket)[-2:] == [
        {"field": "form:Product", "old": "Fibre 100", "new": "Fibre 300"},
        {"field": "form:Consent to call", "old": "no", "new": "yes"},
    ]
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert "Product</span>: Fibre 100 → Fibre 300" in page
    assert "Consent to call</span>: no → yes" in page
    translation.activate("pl")
    alice_agent.agent_profile.language = "pl"
    alice_agent.agent_profile.save()
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert "Consent to call</span>: nie → tak" in page
    translation.activate("en")


def test_saving_a_form_without_changes_writes_no_history(volunteers, form, alice_agent):
    ticket = make_ticket(volunteers)
    saved = save(ticket, form, alice_agent, product="c1")
    again = save(saved, form, alice_agent, product="c1")
    assert again.version == saved.version
    assert len(history(ticket)) == 1


@pytest.mark.spec("CORE-13")
def test_a_form_saved_over_a_newer_version_of_the_ticket_is_refused(volunteers, form, alice_agent):
    ticket = make_ticket(volunteers)
    save(ticket, form, alice_agent, product="c1")
    with pytest.raises(StaleTicketError):
        do_save_ticket_form(
            ticket, data=posted(form, product="c2"), expected_version=ticket.version - 1, acting_user=alice_agent
        )
    ticket.refresh_from_db()
    assert ticket.form_data == {str(form["product"].pk): "c1"}


def test_a_status_button_saves_the_form_and_sets_its_status(volunteers, form, alice_agent):
    ticket = make_ticket(volunteers)
    called = save(ticket, form, alice_agent, button=form["call_back"], product="c1")
    assert called.status.kind == StatusKind.NEEDS_CONTACT and called.form_data
    assert {"field": "status", "old": "New", "new": "Call the contact"} in history(ticket)
    # A closed status closes the ticket: a sale is counted as closed with success.
    sold = save(called, form, alice_agent, button=form["sale"], product="c2")
    assert sold.status.kind == StatusKind.CLOSED_SUCCESS and not sold.is_open
    assert sold.form_data[str(form["product"].pk)] == "c2"


def test_a_status_button_does_nothing_when_the_form_is_wrong(volunteers, form, alice_agent):
    ticket = make_ticket(volunteers)
    with pytest.raises(FormInvalidError):
        save(ticket, form, alice_agent, button=form["sale"])
    ticket.refresh_from_db()
    assert ticket.is_open and ticket.status.kind == StatusKind.NEW


def test_the_form_tab_says_no_form_when_the_group_has_none(client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert "data-no-form" in page and "No form" in page
    assert 'id="conversation-tab"' in page and 'class="tab-pane show active" id="conversation-pane"' in page


# --- the manager's changes apply to existing tickets ----------------------------------------


def form_tab(client, ticket) -> str:
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    return page[page.index("data-ticket-form") :]


def test_renaming_a_field_and_a_choice_shows_existing_values_under_the_new_names(
    client, volunteers, form, mona_manager, alice_agent
):
    ticket = make_ticket(volunteers)
    save(ticket, form, alice_agent, product="c2")
    do_update_form_field(form["product"], label="Package", required=True, acting_user=mona_manager)
    do_rename_form_choice(form["product"], key="c2", label="Fibre 1000", acting_user=mona_manager)
    client.force_login(alice_agent)
    tab = form_tab(client, ticket)
    assert f'for="id_field-{form["product"].pk}">Package' in tab
    assert '<option value="c2" selected>Fibre 1000</option>' in tab
    ticket.refresh_from_db()
    assert ticket.form_data == {str(form["product"].pk): "c2"}, "the stored value is untouched"
    # Found by the choice's new name, no longer by the old one.
    assert ticket in find_tickets_and_contacts(alice_agent, "1000", tickets=10, contacts=0).tickets
    assert ticket not in find_tickets_and_contacts(alice_agent, "Fibre 300", tickets=10, contacts=0).tickets


def test_a_hidden_field_leaves_the_form_but_keeps_its_values_through_saves_search_and_export(
    client, volunteers, form, mona_manager, alice_agent
):
    ticket = make_ticket(volunteers)
    save(ticket, form, alice_agent, product="c1", reference="FX42")
    do_set_form_field_hidden(form["reference"], hidden=True, acting_user=mona_manager)
    client.force_login(alice_agent)
    assert f"field-{form['reference'].pk}" not in form_tab(client, ticket)
    saved = save(ticket, form, alice_agent, product="c2")  # the tab no longer posts it
    assert saved.form_data[str(form["reference"].pk)] == "FX42"
    assert ticket in find_tickets_and_contacts(alice_agent, "fx42", tickets=10, contacts=0).tickets
    client.force_login(mona_manager)
    rows = exported(client, volunteers)
    assert rows[0][6:9] == ["Product", "Consent to call", "Lines"]
    assert "Customer reference (hidden)" in rows[0]
    assert rows[1][rows[0].index("Customer reference (hidden)")] == "FX42"
    # Shown again: the value is there.
    do_set_form_field_hidden(form["reference"], hidden=False, acting_user=mona_manager)
    client.force_login(alice_agent)
    assert 'value="FX42"' in form_tab(client, ticket)


def test_reordering_fields_reorders_every_tickets_form(client, volunteers, form, mona_manager, alice_agent):
    ticket = make_ticket(volunteers)
    do_move_form_field(form["consent"], offset=-1, acting_user=mona_manager)
    client.force_login(alice_agent)
    tab = form_tab(client, ticket)
    assert tab.index(f"field-{form['consent'].pk}") < tab.index(f"field-{form['product'].pk}")
    do_move_form_field(form["consent"], offset=-1, acting_user=mona_manager)  # already first: stays
    assert [f.label for f in FormField.objects.filter(group=volunteers).order_by("position")][:2] == [
        "Consent to call",
        "Product",
    ]


def test_a_removed_choice_is_no_longer_offered_but_stays_on_the_tickets_that_have_it(
    client, volunteers, form, mona_manager, alice_agent
):
    has_it = make_ticket(volunteers)
    save(has_it, form, alice_agent, product="c1")
    do_set_form_choice_removed(form["product"], key="c1", removed=True, acting_user=mona_manager)
    client.force_login(alice_agent)
    assert '<option value="c1" selected>Fibre 100</option>' in form_tab(client, has_it)
    assert save(has_it, form, alice_agent, product="c1").form_data[str(form["product"].pk)] == "c1"
    other = make_ticket(volunteers)
    assert "Fibre 100" not in form_tab(client, other)
    assert errors_of(other, form, alice_agent, product="c1") == {"product": "Choose from the options listed."}


def test_the_manager_page_adds_renames_reorders_and_hides_fields_and_choices(client, volunteers, mona_manager):
    client.force_login(mona_manager)
    url = reverse("group_form", args=["volunteers"])
    assert client.get(url).status_code == 200
    client.post(url, {"op": "add", "label": "Product", "kind": "choice", "choices": "Fibre 100\nFibre 300\n"})
    client.post(url, {"op": "add", "label": "Consent to call", "kind": "checkbox", "required": "on"})
    refused = client.post(url, {"op": "add", "label": "Sale", "kind": "status_button"})
    assert refused.status_code == 400 and "Choose the status the button sets." in refused.content.decode()
    product, consent = FormField.objects.filter(group=volunteers).order_by("position")
    assert [c["label"] for c in product.choices] == ["Fibre 100", "Fibre 300"] and consent.required
    client.post(url, {"op": "update", "field": consent.pk, "label": "Consent to call us"})  # required: off
    client.post(url, {"op": "rename_choice", "field": product.pk, "key": "c1", "label": "Fibre 150"})
    client.post(url, {"op": "choice_down", "field": product.pk, "key": "c1"})
    client.post(url, {"op": "add_choice", "field": product.pk, "label": "Fibre 2000"})
    response = client.post(url, {"op": "up", "field": consent.pk, "focus": f"up-{consent.pk}"})
    assert response["Location"] == f"{url}?focus=up-{consent.pk}"
    client.post(url, {"op": "hide", "field": product.pk})
    duplicate = client.post(url, {"op": "update", "field": product.pk, "label": "consent to call us"}, follow=True)
    assert "“consent to call us” is already there." in duplicate.content.decode()
    product.refresh_from_db()
    consent.refresh_from_db()
    assert [c["label"] for c in product.choices] == ["Fibre 300", "Fibre 150", "Fibre 2000"]
    assert product.hidden and product.label == "Product"
    assert (consent.label, consent.required, consent.position < product.position) == ("Consent to call us", False, True)


def test_only_the_groups_managers_change_or_export_its_form(
    client, volunteers, form, alice_agent, bob_agent, mona_manager
):
    url = reverse("group_form", args=["volunteers"])
    client.force_login(alice_agent)
    assert client.get(url).status_code == 403
    assert client.post(url, {"op": "hide", "field": form["product"].pk}).status_code == 403
    assert client.post(url, {"op": "add", "label": "Sneaky", "kind": "text"}).status_code == 403
    assert client.get(reverse("export_form", args=["volunteers"])).status_code == 403
    form["product"].refresh_from_db()
    assert not form["product"].hidden and not FormField.objects.filter(label="Sneaky").exists()
    with pytest.raises(PermissionDenied):
        do_set_form_field_hidden(form["product"], hidden=True, acting_user=alice_agent)
    client.force_login(bob_agent)  # not even in the group
    assert client.get(url).status_code == 404
    ticket = make_ticket(volunteers)
    assert client.post(reverse("save_ticket_form", args=[ticket.number]), {"version": 1}).status_code == 404
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert reverse("group_form", args=["volunteers"]) not in page  # no "Edit the form" for agents


# --- search and export -----------------------------------------------------------------------


def test_a_ticket_is_found_by_its_form_values_in_the_global_search_and_the_closed_list(
    client, volunteers, form, alice_agent, bob_agent
):
    ticket = make_ticket(volunteers)
    make_ticket(volunteers)
    save(ticket, form, alice_agent, product="c2", reference="zamówienie 7781", notes="Needs a ladder")
    assert find_tickets_and_contacts(alice_agent, "ladder", tickets=10, contacts=0).tickets == [ticket]
    assert find_tickets_and_contacts(alice_agent, "fibre 300", tickets=10, contacts=0, everything=True).tickets == [
        ticket
    ]
    assert find_tickets_and_contacts(bob_agent, "ladder", tickets=10, contacts=0).tickets == []
    client.force_login(alice_agent)
    assert (
        f'href="/tickets/{ticket.number}/"' in client.get(reverse("search"), {"q": "zamówienie 7781"}).content.decode()
    )
    sold = save(ticket, form, alice_agent, button=form["sale"], product="c2", notes="Needs a ladder")
    closed = list_closed_tickets(Group.objects.filter(pk=volunteers.pk), user=alice_agent, text="ladder")
    assert list(closed) == [sold]
    save_empty = make_ticket(volunteers)
    save(save_empty, form, alice_agent, product="c1")
    assert SearchEntry.objects.filter(source=SearchEntry.Source.FORM).count() == 2


def exported(client, group) -> list[list[str]]:
    response = client.get(reverse("export_form", args=[group.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_export_lists_every_ticket_with_its_form_values(client, volunteers, form, alice_agent, mona_manager):
    ticket = make_ticket(volunteers, contact=make_contact("Ewa", "Nowak"))
    save(ticket, form, alice_agent, product="c2", consent=True, extras=["c1", "c2"], install="2026-12-31")
    client.force_login(mona_manager)
    heading, row = exported(client, volunteers)
    assert heading[:6] == ["Ticket", "Title", "Status", "Contact", "Created", "Closed"]
    assert "Sale" not in heading, "buttons hold no values"
    values = dict(zip(heading, row, strict=True))
    assert values["Ticket"] == str(ticket.number) and values["Contact"] == "Ewa Nowak"
    assert values["Product"] == "Fibre 300" and values["Consent to call"] == "yes"
    assert values["Extras"] == "TV, Landline" and values["Install date"] == "2026-12-31" and values["Lines"] == ""


def test_the_export_costs_the_same_queries_for_10_and_100_tickets(client, volunteers, form, alice_agent, mona_manager):
    client.force_login(mona_manager)

    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = exported(client, volunteers)
        return len(captured), len(rows)

    for _ in range(10):
        save(make_ticket(volunteers), form, alice_agent, product="c1", extras=["c2"])
    ten, rows = queries_for_export()
    assert rows == 11
    for _ in range(90):
        save(make_ticket(volunteers), form, alice_agent, product="c2")
    hundred, rows = queries_for_export()
    assert rows == 101 and hundred == ten


# --- CC-05: the campaign move clears the form, after a warning that says what is lost -------


@pytest.mark.spec("CC-05")
def test_the_campaign_move_warning_names_the_fields_and_values_to_be_lost(client, volunteers, form, alice_agent):
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert (
        'data-confirm-reset="The ticket will take the new group’s initial status. Its form is empty: no form data is '
        'lost."' in page
    )
    save(ticket, form, alice_agent, product="c2", consent=True)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert (
        'data-confirm-reset="The ticket will take the new group’s initial status and lose these form values: '
        'Product: Fibre 300; Consent to call: yes."' in page
    )
    ticket.refresh_from_db()
    with translation.override("pl"):
        assert form_loss_warning(ticket) == (
            "Sprawa otrzyma status początkowy nowej kampanii i straci te wartości formularza: "
            "Product: Fibre 300; Consent to call: tak."
        )
    save(ticket, form, alice_agent, product="c2")
    ticket.refresh_from_db()
    assert form_loss_warning(ticket) == (
        "The ticket will take the new group’s initial status and lose this form value: Product: Fibre 300."
    )
    ticket.form_data = {}
    with translation.override("pl"):
        assert form_loss_warning(ticket) == (
            "Sprawa otrzyma status początkowy nowej kampanii. Jej formularz jest pusty: żadne dane nie przepadną."
        )


@pytest.mark.spec("CC-05", "CORE-08")
def test_the_campaign_move_really_clears_the_form_its_search_and_records_what_was_lost(
    client, volunteers, donations, form, alice_agent, dave_admin
):
    ticket = make_ticket(volunteers)
    save(ticket, form, alice_agent, product="c2", notes="Needs a ladder", consent=True)
    client.force_login(dave_admin)
    client.post(reverse("reassign_ticket", args=[ticket.number]), {"target": f"group:{donations.pk}", "reset": "on"})
    ticket.refresh_from_db()
    assert ticket.group == donations and ticket.status.is_initial
    assert ticket.form_data == {}
    assert not SearchEntry.objects.filter(ticket=ticket, source=SearchEntry.Source.FORM).exists()
    assert find_tickets_and_contacts(dave_admin, "ladder", tickets=10, contacts=0).tickets == []
    assert {
        "field": "form_data",
        "old": "Product: Fibre 300; Consent to call: yes; Notes: Needs a ladder",
        "new": "",
    } in history(ticket)


@pytest.mark.spec("CC-05", "CORE-08")
def test_a_move_without_reset_keeps_the_form_data(volunteers, donations, form, alice_agent, dave_admin):
    ticket = make_ticket(volunteers)
    save(ticket, form, alice_agent, product="c2")
    moved = do_move_ticket(ticket, group=donations, reset_status_and_form=False, acting_user=dave_admin)
    assert moved.form_data == {str(form["product"].pk): "c2"}


def test_a_polish_agent_types_dates_the_polish_way(client, volunteers, form, alice_agent):
    ticket = make_ticket(volunteers)
    with translation.override("pl"):
        assert errors_of(ticket, form, alice_agent, product="c1", install="12/31/2026") == {
            "install": "Wpisz datę, np. 31.12.2026."
        }
        saved = save(ticket, form, alice_agent, product="c1", install="31.12.2026")
    assert saved.form_data[str(form["install"].pk)] == "2026-12-31"
    alice_agent.agent_profile.language = "pl"
    alice_agent.agent_profile.save()
    client.force_login(alice_agent)
    tab = form_tab(client, ticket)
    assert 'value="31.12.2026"' in tab and 'placeholder="dd.mm.rrrr"' in tab
    assert "Zapisz formularz" in tab
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert "Install date</span>: — → 31.12.2026" in page  # the history, too, writes it the Polish way
