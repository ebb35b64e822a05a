"""A group's categories (ROUTE-06): its managers keep them on their page; an agent sets a ticket's
category (in its history); a new ticket in a category emails the category's agents, and nobody
else, with the link; the lists filter by category and show it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from switchboard.tickets.category_actions import do_add_category, do_remove_category
from switchboard.tickets.models import ActivityKind, Category, Membership, Ticket
from switchboard.tickets.tests.factories import make_agent, make_ticket
from switchboard.web.channel import WebMessage, receive_web_message


@pytest.fixture
def mona_manager(volunteers):
    return make_agent("mona", "MO", groups=[volunteers], role="manager")


@pytest.fixture
def carol_agent(volunteers):
    return make_agent("carol", "CA", groups=[volunteers])


def categories_url(group) -> str:
    return reverse("group_categories", args=[group.slug])


def names(group) -> list[str]:
    return list(group.categories.order_by("position", "id").values_list("name", flat=True))


def header_post(ticket: Ticket, **changes: object) -> dict[str, object]:
    return {
        "title": ticket.title,
        "status": ticket.status_id,
        "owner": ticket.owner_id or "",
        "next_action": ticket.next_action,
        "source": ticket.source,
        "version": ticket.version,
        **changes,
    }


@pytest.mark.spec("ROUTE-06")
def test_managers_add_rename_reorder_and_remove_categories_and_agents_cannot(
    client, volunteers, mona_manager, alice_agent, bob_agent, carol_agent
):
    client.force_login(alice_agent)  # an agent of the group
    assert client.get(categories_url(volunteers)).status_code == 403
    assert client.post(categories_url(volunteers), {"name": "Pantry"}).status_code == 403
    client.force_login(bob_agent)  # not in the group
    assert client.get(categories_url(volunteers)).status_code == 404
    assert names(volunteers) == []

    client.force_login(mona_manager)
    assert categories_url(volunteers) in client.get(reverse("group_settings", args=[volunteers.slug])).content.decode()
    response = client.post(categories_url(volunteers), {"name": "  Pantry ", "agents": [alice_agent.pk]}, follow=True)
    assert "Category “Pantry” added." in response.content.decode()
    client.post(categories_url(volunteers), {"name": "Deliveries"})
    pantry, deliveries = volunteers.categories.order_by("position")
    assert list(pantry.agents.all()) == [alice_agent]

    # A name taken, an empty name and someone outside the group are refused, changing nothing.
    response = client.post(categories_url(volunteers), {"name": "pantry"})
    assert response.status_code == 400 and "already has a category named" in response.content.decode()
    response = client.post(categories_url(volunteers), {"name": "Rota", "agents": [bob_agent.pk]})
    assert response.status_code == 400 and "active members can be a category" in response.content.decode()
    assert names(volunteers) == ["Pantry", "Deliveries"]

    update = reverse("update_category", args=[volunteers.slug, pantry.pk])
    client.post(update, {"name": "Food pantry", "agents": [carol_agent.pk, alice_agent.pk]})
    pantry.refresh_from_db()
    assert pantry.name == "Food pantry" and set(pantry.agents.all()) == {alice_agent, carol_agent}
    page = client.get(categories_url(volunteers)).content.decode()
    assert 'value="Food pantry"' in page and page.count("checked") == 2

    client.post(reverse("move_category", args=[volunteers.slug, deliveries.pk]), {"direction": "up"})
    assert names(volunteers) == ["Deliveries", "Food pantry"]

    ticket = make_ticket(volunteers)
    Ticket.objects.filter(pk=ticket.pk).update(category=pantry)
    response = client.post(reverse("remove_category", args=[volunteers.slug, pantry.pk]), follow=True)
    assert "1 ticket is now without a category." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.category is None and names(volunteers) == ["Deliveries"]
    change = ticket.activities.filter(kind=ActivityKind.CHANGED).last()
    assert change.changes == [{"field": "category", "old": "Food pantry", "new": ""}]

    # The actions refuse an agent whatever the page.
    with pytest.raises(PermissionDenied):
        do_add_category(volunteers, name="Rota", acting_user=alice_agent)
    with pytest.raises(PermissionDenied):
        do_remove_category(deliveries, acting_user=alice_agent)
    assert names(volunteers) == ["Deliveries"]


@pytest.mark.spec("ROUTE-06")
def test_a_new_ticket_in_a_category_emails_its_agents_with_the_link_and_nobody_else(
    volunteers, mona_manager, alice_agent, carol_agent, bob_agent, smtp_sink, django_capture_on_commit_callbacks
):
    pantry = do_add_category(volunteers, name="Pantry", agents=[alice_agent, carol_agent], acting_user=mona_manager)
    Membership.objects.filter(user=carol_agent).delete()  # carol left the group: no longer told
    do_add_category(volunteers, name="Deliveries", agents=[mona_manager], acting_user=mona_manager)

    with django_capture_on_commit_callbacks(execute=True):
        raw = receive_web_message(
            volunteers,
            WebMessage(email="maria@example.org", name="Maria Garcia", text="Is rice in stock?", category_id=pantry.pk),
        )

    ticket = raw.ticket
    assert ticket.category == pantry
    told = [m for m in smtp_sink.messages if m["To"] != "maria@example.org"]  # not the acknowledgement
    assert [m["To"] for m in told] == [alice_agent.email]
    text = told[0].get_payload() if not told[0].is_multipart() else told[0].get_payload(0).get_payload()
    assert f"{settings.SITE_URL}/tickets/{ticket.number}/" in text
    assert "Pantry" in told[0]["Subject"] and "Category: Pantry" in text


@pytest.mark.spec("ROUTE-06")
def test_an_agent_sets_the_category_on_the_ticket_page_in_its_history_and_its_agents_hear_once(
    client, volunteers, donations, mona_manager, alice_agent, carol_agent, smtp_sink, django_capture_on_commit_callbacks
):
    pantry = do_add_category(volunteers, name="Pantry", agents=[alice_agent, carol_agent], acting_user=mona_manager)
    elsewhere = Category.objects.create(group=donations, name="Gifts")
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert "— no category —" in page and ">Pantry</option>" in page

    url = reverse("ticket", args=[ticket.number])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, header_post(ticket, category=pantry.pk))
    ticket.refresh_from_db()
    assert ticket.category == pantry
    change = ticket.activities.filter(kind=ActivityKind.CHANGED).last()
    assert change.changes == [{"field": "category", "old": "", "new": "Pantry"}]
    page = client.get(url).content.decode()
    assert "Category" in page and "Pantry" in page
    # Carol is told; Alice set it herself. Saving again without a change tells nobody again.
    assert [m["To"] for m in smtp_sink.messages] == [carol_agent.email]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, header_post(ticket, next_action="Call back"))
    assert len(smtp_sink.messages) == 1

    # Another group's category is refused; an older page without the menu leaves it as it is.
    ticket.refresh_from_db()
    response = client.post(url, header_post(ticket, category=elsewhere.pk))
    assert response.status_code == 400
    client.post(url, {k: v for k, v in header_post(ticket, title="Renamed").items() if k != "category"})
    ticket.refresh_from_db()
    assert (ticket.title, ticket.category) == ("Renamed", pantry)
    # A stale page changes nothing.
    response = client.post(url, header_post(ticket, category="", version=ticket.version - 1))
    ticket.refresh_from_db()
    assert response.status_code == 409 and ticket.category == pantry


@pytest.mark.spec("ROUTE-06")
def test_an_agent_opens_a_ticket_in_a_category_and_its_agents_hear(
    client, volunteers, mona_manager, alice_agent, carol_agent, smtp_sink, django_capture_on_commit_callbacks
):
    pantry = do_add_category(volunteers, name="Pantry", agents=[alice_agent, carol_agent], acting_user=mona_manager)
    client.force_login(alice_agent)
    new_url = reverse("new_ticket", args=[volunteers.slug])
    assert ">Pantry</option>" in client.get(new_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            new_url, {"first_name": "Jan", "title": "Rice", "source": "phone", "category": pantry.pk}
        )
    ticket = Ticket.objects.get(title="Rice")
    assert response.status_code == 302 and ticket.category == pantry
    assert [m["To"] for m in smtp_sink.messages] == [carol_agent.email]


def test_a_group_without_categories_shows_no_category_menu(client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    assert "no category" not in client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert 'name="category"' not in client.get(reverse("open_tickets", args=[volunteers.slug])).content.decode()


@pytest.mark.spec("ROUTE-06")
def test_the_lists_filter_by_category_and_show_it(client, volunteers, donations, alice_agent, mona_manager):
    pantry = do_add_category(volunteers, name="Pantry", acting_user=mona_manager)
    in_pantry, other = make_ticket(volunteers), make_ticket(volunteers)
    closed_in_pantry, closed_other = make_ticket(volunteers), make_ticket(volunteers)
    Ticket.objects.filter(pk__in=[in_pantry.pk, closed_in_pantry.pk]).update(category=pantry)
    from switchboard.tickets.actions import do_close_ticket

    do_close_ticket(closed_in_pantry, acting_user=alice_agent)
    do_close_ticket(closed_other, acting_user=alice_agent)

    def numbers(page: str) -> set[int]:
        found = {ticket.number for ticket in (in_pantry, other, closed_in_pantry, closed_other)}
        return {number for number in found if f'data-number="{number}"' in page}

    client.force_login(alice_agent)
    open_url = reverse("open_tickets", args=[volunteers.slug])
    page = client.get(open_url).content.decode()
    assert numbers(page) == {in_pantry.number, other.number} and "data-category>Pantry<" in page
    assert numbers(client.get(open_url, {"category": pantry.pk}).content.decode()) == {in_pantry.number}
    assert numbers(client.get(open_url, {"category": "x"}).content.decode()) == {in_pantry.number, other.number}

    closed_url = reverse("closed_tickets", args=[volunteers.slug])
    assert numbers(client.get(closed_url).content.decode()) == {closed_in_pantry.number, closed_other.number}
    assert numbers(client.get(closed_url, {"category": pantry.pk}).content.decode()) == {closed_in_pantry.number}

    views_url = reverse("ticket_view", args=["open"])
    page = client.get(views_url, {"category": pantry.pk}).content.decode()
    assert numbers(page) == {in_pantry.number} and "Volunteers · Pantry" in page
    # Another group's category is not offered, and filters nothing in.
    gifts = Category.objects.create(group=donations, name="Gifts")
    page = client.get(views_url, {"category": gifts.pk}).content.decode()
    assert "Gifts" not in page and numbers(page) == {in_pantry.number, other.number}


@pytest.mark.spec("ROUTE-06")
def test_the_lists_cost_the_same_queries_with_categories(client, volunteers, alice_agent, mona_manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice_agent)
    url = reverse("open_tickets", args=[volunteers.slug])
    make_ticket(volunteers)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    categories = [do_add_category(volunteers, name=f"Topic {n}", acting_user=mona_manager) for n in range(5)]
    for n in range(10):
        ticket = make_ticket(volunteers)
        Ticket.objects.filter(pk=ticket.pk).update(category=categories[n % 5])
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"category": categories[0].pk})
    assert len(many) == len(few)  # the menu's one query either way; the rows' categories come with them
