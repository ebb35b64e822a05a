"""The case card's Form tab in a real browser (CC-04), and the campaign move's warning (CC-05)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from switchboard.testing.browser import open_ticket
from switchboard.tickets.group_forms import do_add_form_field
from switchboard.tickets.models import FormField, Membership, StatusKind, Ticket
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


@pytest.fixture
def campaign_form(volunteers):
    mona = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)

    def add(label, kind, **options):
        return do_add_form_field(volunteers, label=label, kind=kind, acting_user=mona, **options)

    return {
        "product": add("Product", FormField.Kind.CHOICE, choices=["Fibre 100", "Fibre 300"], required=True),
        "lines": add("Lines", FormField.Kind.NUMBER),
        "consent": add("Consent to call", FormField.Kind.CHECKBOX),
        "sale": add(
            "Sale", FormField.Kind.STATUS_BUTTON, status=volunteers.statuses.get(kind=StatusKind.CLOSED_SUCCESS)
        ),
    }


@pytest.mark.spec("CC-04")
def test_an_agent_fills_in_the_form_tab_corrects_an_error_and_sees_the_change_in_the_history(
    web, browser, volunteers, alice_agent, campaign_form
):
    ticket = make_ticket(volunteers, contact=make_contact("Ewa", "Nowak"))
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    expect(page.locator("#conversation-tab")).to_have_attribute("aria-selected", "true")

    page.click("#form-tab")
    product = page.locator(f"#id_field-{campaign_form['product'].pk}")
    lines = page.locator(f"#id_field-{campaign_form['lines'].pk}")
    expect(product).to_be_visible()
    lines.fill("twelve")
    page.click("[data-save-form]")

    expect(page.locator("[data-form-error]")).to_have_text("The form was not saved: correct the fields marked below.")
    expect(page.locator(f"#id_field-{campaign_form['product'].pk}-error")).to_have_text("This field is required.")
    expect(page.locator(f"#id_field-{campaign_form['lines'].pk}-error")).to_have_text(
        "Enter a number, such as 12 or 3.5."
    )
    expect(product).to_have_attribute("aria-invalid", "true")
    expect(lines).to_have_value("twelve")  # what was typed stays, to be corrected
    page.wait_for_selector("[data-ticket-socket][data-opened]", state="attached")

    product.select_option(label="Fibre 300")
    lines.fill("2")
    page.locator(f"#id_field-{campaign_form['consent'].pk}").check()
    page.click("[data-save-form]")

    expect(page.locator(".alert-success")).to_contain_text(f"Form of ticket #{ticket.number} saved.")
    expect(page.locator("#form-tab")).to_have_attribute("aria-selected", "true")
    expect(product).to_have_value("c2")
    page.click("[data-bs-target='#history']")
    history = page.locator("#history")
    expect(history).to_contain_text("Product: — → Fibre 300")
    expect(history).to_contain_text("Lines: — → 2")
    expect(history).to_contain_text("Consent to call: no → yes")
    ticket.refresh_from_db()
    assert ticket.form_data == {
        str(campaign_form["product"].pk): "c2",
        str(campaign_form["lines"].pk): "2",
        str(campaign_form["consent"].pk): True,
    }

    page.wait_for_selector("[data-ticket-socket][data-opened]", state="attached")
    page.click("#form-tab")
    page.click("[data-status-button]")  # Sale: saves and closes with success
    expect(page.locator(".alert-success")).to_contain_text("saved")
    assert Ticket.objects.get(pk=ticket.pk).status.kind == StatusKind.CLOSED_SUCCESS


@pytest.mark.spec("CC-05")
def test_the_campaign_move_asks_first_naming_the_values_the_ticket_will_lose(
    web, browser, volunteers, donations, alice_agent, campaign_form
):
    from switchboard.tickets.group_forms import do_save_ticket_form
    from switchboard.tickets.tests.test_group_forms import posted

    donations.memberships.create(user=alice_agent)
    ticket = make_ticket(volunteers)
    do_save_ticket_form(
        ticket,
        data=posted(campaign_form, product="c2", consent=True),
        expected_version=ticket.version,
        acting_user=alice_agent,
    )
    page = signed_in(browser.new_context(), web, alice_agent)
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.message))
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.locator("details.ticket-details").evaluate("details => details.open = true")
    page.select_option("#id_target", f"group:{donations.pk}")
    page.check("#id_reset")
    page.click(f"form[action='/tickets/{ticket.number}/reassign/'] button")
    expect(page.locator(".alert-success")).to_contain_text("Ticket moved to Donations.")
    assert asked == [
        "The ticket will take the new group’s initial status and lose these form values: "
        "Product: Fibre 300; Consent to call: yes."
    ]
    ticket.refresh_from_db()
    assert ticket.group == donations and ticket.form_data == {}


@pytest.mark.spec("CC-04")
def test_a_manager_reorders_fields_with_the_keyboard_and_keeps_her_place(web, browser, volunteers, campaign_form):
    mona = volunteers.memberships.get(role=Membership.Role.MANAGER).user
    page = signed_in(browser.new_context(), web, mona)
    page.goto(f"{web}/groups/volunteers/form/")
    product = campaign_form["product"].pk
    page.focus(f"#down-{product}")
    page.keyboard.press("Enter")
    expect(page.locator("[data-form-fields] > li").nth(1)).to_have_attribute("data-field", str(product))
    expect(page.locator(f"#down-{product}")).to_be_focused()  # the next Enter moves it on
    page.keyboard.press("Enter")
    expect(page.locator("[data-form-fields] > li").nth(2)).to_have_attribute("data-field", str(product))
    expect(page.locator(".alert-success")).to_contain_text("“Product” moved.")
    page.keyboard.press("Shift+Tab")  # back to its Up button
    page.keyboard.press("Enter")
    expect(page.locator("[data-form-fields] > li").nth(1)).to_have_attribute("data-field", str(product))
    expect(page.locator(f"#up-{product}")).to_be_focused()
