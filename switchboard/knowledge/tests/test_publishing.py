"""A resolved ticket published to the knowledge base (SELF-02, seed 004): the editor opens with
the question and the answer, the contact's name, email and phone taken out, a check that lists
them and warns of what still looks personal, and the article linked to the ticket."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.intake.inbound import Inbound, Person
from switchboard.knowledge.models import Article
from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.messages import do_add_inbound_message, do_reply_to_contact
from switchboard.tickets.models import ActivityKind
from switchboard.tickets.tests.factories import make_ticket

pytestmark = [pytest.mark.django_db, pytest.mark.spec("SELF-02")]

QUESTION = (
    "Hello, my name is Marta Wiśniewska. When can I pick up a food parcel in Łódź? "
    "Call me on 601 234 567 or write to marta.w@example.org, or my husband at jan@example.net."
)
ANSWER = (
    "<p>Dear Marta,</p><p>Parcels are handed out on <strong>Tuesdays from 9 to 12</strong> at Piotrkowska 10. "
    "Bring your referral letter.</p><p>Our office: +48 42 111 22 33.</p>"
)


@pytest.fixture
def resolved(volunteers, alice_agent):
    contact = do_create_contact(
        kind=Contact.Kind.PERSON,
        first_name="Marta",
        last_name="Wiśniewska",
        emails=["marta.w@example.org"],
        phones=["+48601234567"],
        acting_user=None,
    )
    ticket = make_ticket(volunteers, contact=contact)
    ticket.title = "Parcel pick-up for Marta Wiśniewska"
    ticket.save(update_fields=["title"])
    do_add_inbound_message(
        ticket, inbound=Inbound(channel="email", sender=Person("marta.w@example.org"), text=QUESTION), cc=[]
    )
    do_reply_to_contact(ticket, to_address="marta.w@example.org", body_html=ANSWER, acting_user=alice_agent)
    do_close_ticket(ticket, acting_user=alice_agent)
    return ticket


def editor_of(client: Client, ticket) -> str:
    response = client.get(f"/kb/manage/from-ticket/{ticket.number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_prefilled_article_has_the_question_and_answer_without_the_contacts_data(resolved, alice_agent):
    client = Client()
    client.force_login(alice_agent)
    page = editor_of(client, resolved)
    editor = re.search(r"data-editor-area>(.*?)</div>", page, re.S).group(1)
    assert "When can I pick up a food parcel" in editor and "Tuesdays from 9 to 12" in editor
    for personal in ("Marta", "Wiśniewska", "601 234 567", "marta.w@example.org", "jan@example.net", "111 22 33"):
        assert personal not in editor
    assert "[removed]" in editor
    removed = re.search(r"data-removed>(.*?)</ul>", page, re.S).group(1)
    for personal in ("Marta", "Wiśniewska", "601 234 567", "marta.w@example.org", "jan@example.net"):
        assert personal in removed
    warnings = re.search(r"data-warnings>(.*?)</ul>", page, re.S).group(1)
    assert "greeting" in warnings and "[removed]" in warnings
    title = re.search(r'name="title" id="id_title" value="([^"]*)"', page).group(1)
    assert "Marta" not in title and "Parcel pick-up for" in title


def test_publishing_asks_for_the_check_then_links_the_article_to_the_ticket(resolved, alice_agent):
    client = Client()
    client.force_login(alice_agent)
    fields = {
        "title": "Picking up a food parcel",
        "body_html": "<p>Dear Marta, parcels are handed out on Tuesdays. Call 601 234 567.</p>",
        "visibility": "public",
        "state": "published",
        "language": "en",
    }
    url = f"/kb/manage/from-ticket/{resolved.number}/"
    page = client.post(url, fields).content.decode()
    assert "Check the text for personal data before publishing it." in page
    assert "The contact&#x27;s name, address or number: “Marta”" in page or "“Marta”" in page
    assert not Article.objects.exists()

    fields["body_html"] = "<p>Parcels are handed out on Tuesdays from 9 to 12.</p>"
    assert client.post(url, fields).status_code == 302
    article = Article.objects.get()
    assert list(article.tickets.all()) == [resolved]
    note = resolved.activities.filter(kind=ActivityKind.NOTE).last()
    assert (note.body, note.actor) == ("Written up in the knowledge base: “Picking up a food parcel”", alice_agent)
    assert article.state == Article.State.PUBLISHED and article.published_at is not None
    assert "Picking up a food parcel" in Client().get(article.get_absolute_url()).content.decode()


def test_only_a_resolved_ticket_of_ones_own_groups_is_published(volunteers, resolved, alice_agent, bob_agent):
    bob = Client()
    bob.force_login(bob_agent)
    assert bob.get(f"/kb/manage/from-ticket/{resolved.number}/").status_code == 404
    open_ticket = make_ticket(volunteers)
    alice = Client()
    alice.force_login(alice_agent)
    assert alice.get(f"/kb/manage/from-ticket/{open_ticket.number}/").status_code == 404
    assert "Publish to the knowledge base" not in alice.get(f"/tickets/{open_ticket.number}/").content.decode()
    ticket_page = alice.get(f"/tickets/{resolved.number}/").content.decode()
    assert f'href="/kb/manage/from-ticket/{resolved.number}/"' in ticket_page
    assert Client().get(f"/kb/manage/from-ticket/{resolved.number}/").status_code == 302
