"""The help centre in a real browser (Debian's Chromium) against a real `switchboard web`: the
articles that may answer a question appear under the field as one types (SELF-02)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from switchboard.knowledge.models import Article
from switchboard.knowledge.tests.factories import make_article, make_category
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("SELF-02")]


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


@pytest.fixture
def shelf(db):
    pickup = make_category("Pick-up points")
    make_article("Pick-up times in Łódź", "<p>Tuesdays 9–13.</p>", category=pickup, summary="Tuesdays and Thursdays")
    make_article("Jak zostać wolontariuszem", "<p>Formularz i szkolenie.</p>", language="pl")
    make_article("Parcels without a referral", "<p>One emergency parcel.</p>", visibility=Article.Visibility.INTERNAL)


def test_a_visitor_sees_articles_suggested_as_they_type_and_opens_one(web, browser, shelf):
    page = browser.new_context().new_page()
    page.goto(f"{web}/kb/")
    suggestions = page.locator("#kb-q-articles")
    expect(suggestions).to_be_hidden()
    page.click("#kb-q")
    page.keyboard.type("lodz", delay=30)
    expect(suggestions.locator("[data-kb-suggestion]")).to_have_text(["Pick-up times in Łódź"])
    page.keyboard.press("Control+A")
    page.keyboard.type("wolon", delay=30)
    expect(suggestions.locator("[data-kb-suggestion]")).to_have_text(["Jak zostać wolontariuszem"])
    page.keyboard.type("xyz")
    expect(suggestions).to_be_hidden()
    page.keyboard.press("Control+A")
    page.keyboard.type("parcels", delay=30)
    expect(suggestions).to_be_hidden()  # the internal article is for agents only
    page.keyboard.press("Control+A")
    page.keyboard.type("pick", delay=30)
    expect(suggestions.locator("[data-kb-suggestion]")).to_have_count(1)
    page.keyboard.press("ArrowDown")  # the keys: down to the first article, Enter opens it
    expect(suggestions.locator("[data-kb-suggestion]").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Pick-up times in Łódź")
    page.click("text=Yes")
    expect(page.locator("[data-voted]")).to_be_visible()
    article = Article.objects.get(title="Pick-up times in Łódź")
    assert (article.view_count, article.helpful_yes) == (1, 1)


def test_an_agent_writing_an_article_sees_the_ones_like_it(web, browser, shelf, alice_agent):
    page = signed_in(browser.new_context(), web, alice_agent)
    page.goto(f"{web}/kb/manage/new/")
    page.fill("#id_title", "")
    page.click("#id_title")
    page.keyboard.type("Parcels referral", delay=30)
    expect(page.locator("#id_title-articles [data-kb-suggestion]")).to_have_text(["Parcels without a referral"])


def test_a_customer_writing_to_the_group_sees_articles_that_may_answer_the_question(web, browser, shelf, volunteers):
    page = browser.new_context().new_page()
    page.goto(f"{web}/f/{volunteers.slug}/")
    page.click("#id_message")
    page.keyboard.type("Hello, when are the pick-up times for parcels in Lodz? Thank you", delay=10)
    found = page.locator("#id_message-articles [data-kb-suggestion]")
    expect(found.first).to_have_text("Pick-up times in Łódź")
    expect(found.first).to_have_attribute("target", "_blank")  # the message being written stays
    expect(page.locator("#id_message-articles")).not_to_contain_text("without a referral")


def test_a_contact_opening_a_ticket_in_the_portal_sees_public_articles_only(web, browser, shelf, volunteers):
    from django.test import Client

    from switchboard.portal.tests.helpers import sign_in_as
    from switchboard.tickets.tests.factories import make_contact, make_ticket

    contact = make_contact("Marta", "Nowak")
    make_ticket(volunteers, contact=contact)
    client = Client()
    sign_in_as(client, contact)
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": web}])
    page = context.new_page()
    page.goto(f"{web}/portal/")
    page.click("[data-new-ticket]")
    page.click("#id_text")
    page.keyboard.type("Do I need a referral for parcels? And what are the pick-up times?", delay=10)
    found = page.locator("#id_text-articles [data-kb-suggestion]")
    expect(found.first).to_have_text("Pick-up times in Łódź")
    expect(page.locator("#id_text-articles")).not_to_contain_text("without a referral")  # for agents only
