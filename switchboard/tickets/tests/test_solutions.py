"""The solutions library (AGENT-04): a sent reply saved as a draft solution without the greeting,
the sign-off and the contact's personal data; its author edits it, a manager publishes it; the
reply composer offers the published ones only, the ticket's category's first, with what its
search compares and how often and lately each was used."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.tickets.actions import TicketError, do_add_note, do_create_ticket
from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import ActivityKind, CannedResponse, Category, Membership, TicketSource
from switchboard.tickets.solutions import do_save_reply_as_solution, fold
from switchboard.tickets.tests.factories import make_agent

pytestmark = pytest.mark.spec("AGENT-04")

ANSWER = (
    "<p>Maria, the pantry on Elm Street opens at <b>9:00</b>. Write to maria@example.org or call "
    "+48 601 234 567 if the door is shut; our order line 1234 5678 90 stays as it is.</p>"
)


@pytest.fixture
def food(volunteers):
    return Category.objects.create(group=volunteers, name="Food parcels")


@pytest.fixture
def mona_manager(volunteers):
    return make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)


@pytest.fixture
def maria_ticket(volunteers, food):
    maria = do_create_contact(
        kind=Contact.Kind.PERSON,
        first_name="Maria",
        last_name="Garcia",
        emails=["maria@example.org"],
        phones=["+48601234567"],
        acting_user=None,
    )
    return do_create_ticket(
        volunteers,
        contact=maria,
        source=TicketSource.EMAIL,
        title="When does the pantry open",
        category=food,
        acting_user=None,
    )


@pytest.fixture
def sent_reply(maria_ticket, alice_agent):
    return do_reply_to_contact(maria_ticket, to_address="maria@example.org", body_html=ANSWER, acting_user=alice_agent)


def text_of(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup)


def test_a_sent_reply_becomes_a_draft_in_the_tickets_category_without_greeting_sign_off_or_personal_data(
    client, sent_reply, alice_agent, food
):
    assert "Hello Maria," in sent_reply.body_html and "Kind regards" in sent_reply.body_html  # as the contact got it
    client.force_login(alice_agent)

    response = client.post(reverse("save_as_solution", args=[sent_reply.pk]), follow=True)

    solution = CannedResponse.objects.get()
    assert response.redirect_chain[-1][0] == reverse("edit_canned_response", args=["volunteers", solution.pk])
    assert (solution.title, solution.category, solution.published, solution.author) == (
        "When does the pantry open",
        food,
        False,
        alice_agent,
    )
    text = text_of(solution.body_html)
    assert text == (
        "[name], the pantry on Elm Street opens at 9:00. Write to [email address] or call [phone number] if "
        "the door is shut; our order line 1234 5678 90 stays as it is."
    )
    assert "<b>9:00</b>" in solution.body_html  # the agent's formatting is kept
    page = response.content.decode()
    assert "Saved as a draft solution" in page
    assert "maria@example.org" in page  # what was taken out is said, for the agent to check
    assert "check that nothing about the contact is left" in page


def test_only_an_agents_sent_reply_is_saved_and_only_by_an_agent_of_the_group(
    client, maria_ticket, sent_reply, alice_agent, bob_agent
):
    note = do_add_note(maria_ticket, body="Called her back", acting_user=alice_agent)
    with pytest.raises(TicketError):
        do_save_reply_as_solution(note, acting_user=alice_agent)
    client.force_login(bob_agent)  # of another group: the reply is not found
    assert client.post(reverse("save_as_solution", args=[sent_reply.pk])).status_code == 404
    assert not CannedResponse.objects.exists()
    do_save_reply_as_solution(sent_reply, acting_user=alice_agent)
    again, _found = do_save_reply_as_solution(sent_reply, acting_user=alice_agent)
    assert again.title == "When does the pantry open (2)"


def test_the_author_edits_the_draft_and_only_a_manager_publishes_it(
    client, volunteers, sent_reply, alice_agent, mona_manager, food
):
    draft, _found = do_save_reply_as_solution(sent_reply, acting_user=alice_agent)
    edit = reverse("edit_canned_response", args=[volunteers.slug, draft.pk])
    form = {"title": "Pantry hours", "body_html": "<p>We open at [hour].</p>", "category": food.pk, "draft": ""}

    client.force_login(alice_agent)
    page = client.get(edit).content.decode()
    assert 'name="draft"' not in page and "A manager of the group publishes it." in page
    assert client.post(edit, form).status_code == 302  # "draft" unticked: not hers to publish
    draft.refresh_from_db()
    assert (draft.title, draft.published) == ("Pantry hours", False)

    colleague = make_agent("carl", "CA", groups=[volunteers])
    client.force_login(colleague)
    assert client.post(edit, {**form, "title": "Mine now"}).status_code == 403
    assert client.post(reverse("delete_canned_response", args=[volunteers.slug, draft.pk])).status_code == 403

    client.force_login(mona_manager)
    assert 'name="draft"' in client.get(edit).content.decode()
    assert client.post(edit, form).status_code == 302
    draft.refresh_from_db()
    assert draft.published

    client.force_login(alice_agent)  # published: no longer hers to change
    assert client.post(edit, {**form, "title": "Changed"}).status_code == 403


def test_fold_takes_off_accents_and_case_in_english_and_polish():
    assert fold("Żółć ŁÓDŹ Café") == "zolc lodz cafe"


@pytest.fixture
def library(volunteers, mona_manager, food):
    def save(title, body, *, category=None, uses=0, published=True):
        canned = do_save_canned_response(
            volunteers, title=title, body_html=body, category=category, acting_user=mona_manager, published=published
        )
        CannedResponse.objects.filter(pk=canned.pk).update(use_count=uses)
        return canned

    return {
        "alpha": save("Alpha", "<p>Opening hours</p>", uses=1),
        "beta": save("Beta", "<p>Żółta karta [numer]</p>", uses=7),
        "zebra": save("Zebra", "<p>Parcels on Friday</p>", category=food),
        "draft": save("Draft", "<p>Not checked yet</p>", published=False),
    }


def composer_solutions(page: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<template id="canned-\d+" data-title="([^"]+)" data-canned-id="\d+" data-search="([^"]+)"', page
    )


def test_the_composer_offers_published_solutions_the_tickets_category_first_with_unaccented_search_text(
    client, maria_ticket, alice_agent, library
):
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[maria_ticket.number])).content.decode()

    offered = composer_solutions(page)
    assert [title for title, _search in offered] == ["Zebra", "Alpha", "Beta"]  # no draft
    assert dict(offered)["Beta"] == "beta zolta karta [numer]"
    assert f'data-canned-id="{library["zebra"].pk}" data-search="zebra parcels on friday" data-uses="0" ' in page
    assert 'data-category="Food parcels" data-in-category' in page
    assert "Not checked yet" not in page


def test_a_sent_reply_counts_the_solutions_it_used_and_a_draft_is_never_applied(
    client, settings, maria_ticket, alice_agent, library
):
    settings.REPLY_UNDO_SECONDS = 0
    client.force_login(alice_agent)
    form = {"to_address": "maria@example.org", "body_html": "<p>Opening hours</p>", "then": "stay"}
    used = [library["alpha"].pk, library["draft"].pk]

    client.post(
        reverse("send_reply", args=[maria_ticket.number]), {**form, "canned": used}, headers={"HX-Request": "true"}
    )

    assert maria_ticket.activities.filter(kind=ActivityKind.EMAIL_OUT).count() == 1
    alpha, draft = (CannedResponse.objects.get(pk=pk) for pk in used)
    assert (alpha.use_count, draft.use_count) == (2, 0)
    assert alpha.last_used_at is not None and draft.last_used_at is None


def test_the_ticket_page_costs_the_same_queries_with_more_solutions(
    client, volunteers, maria_ticket, alice_agent, library, mona_manager, food
):
    client.force_login(alice_agent)
    url = reverse("ticket", args=[maria_ticket.number])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(10):
        do_save_canned_response(
            volunteers, title=f"More {number}", body_html="<p>More</p>", category=food, acting_user=mona_manager
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_reply_template_without_the_answer_is_saved_whole_with_a_warning(
    volunteers, maria_ticket, alice_agent, mona_manager
):
    from switchboard.intake.actions import do_save_message_template
    from switchboard.intake.models import TemplateKind

    do_save_message_template(
        volunteers, kind=TemplateKind.REPLY, subject="", body="{greeting}\n\nSee the website.", acting_user=mona_manager
    )
    reply = do_reply_to_contact(maria_ticket, to_address="maria@example.org", body_html=ANSWER, acting_user=alice_agent)

    solution, notes = do_save_reply_as_solution(reply, acting_user=alice_agent)

    assert "See the website." in solution.body_html
    assert notes[0] == "Check the greeting and sign-off: they may still be in the text."


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_has_published_solutions_and_a_draft_in_each_language(db, settings, tmp_path, language):
    from switchboard.tickets.demo import demo_group, load_demo_data
    from switchboard.tickets.demo_solutions import SOLUTIONS, load_solutions_demo
    from switchboard.tickets.demo_texts import CLIENTS, DONATIONS, VOLUNTEERS

    settings.DATA_DIR = tmp_path  # the demo's password file
    load_demo_data(language)
    load_solutions_demo(language)
    load_solutions_demo(language)  # a second start changes nothing

    titles = {solution.title for solution in SOLUTIONS[language]}
    solutions = CannedResponse.objects.filter(title__in=titles)
    assert solutions.count() == len(titles)
    for role in (VOLUNTEERS, CLIENTS, DONATIONS):
        assert solutions.filter(group=demo_group(role), published=True).exists()
    assert solutions.filter(published=False).count() == 1
    assert solutions.filter(use_count__gt=0).count() >= 3
