"""The demo's categories (ROUTE-06): the food bank's groups have categories with agents and
tickets in them, and the open ones find the resolved ones (AGENT-04); loaded once."""

from __future__ import annotations

import pytest

from switchboard.tickets.demo import demo_group, load_demo_data
from switchboard.tickets.demo_categories import load_category_demo
from switchboard.tickets.demo_texts import CLIENTS, VOLUNTEERS
from switchboard.tickets.models import Category, Ticket
from switchboard.tickets.similar import list_similar_tickets


@pytest.mark.spec("ROUTE-06", "AGENT-04")
@pytest.mark.parametrize(("language", "pantry"), [("en", "Pantry"), ("pl", "Spiżarnia")])
def test_the_demo_has_categories_with_agents_and_tickets_that_find_their_like(db, language, pantry):
    load_demo_data(language)
    load_category_demo(language)
    clients = demo_group(CLIENTS)
    category = clients.categories.get(name=pantry)
    [agent] = category.agents.all()
    assert clients.memberships.filter(user=agent).exists()
    assert demo_group(VOLUNTEERS).categories.exists()
    open_one = Ticket.objects.get(category=category, closed_at__isnull=True)
    best = list_similar_tickets(open_one, user=agent)[0]
    assert best.ticket.category == category and best.answer

    before = Category.objects.count(), Ticket.objects.count()
    load_category_demo(language)  # a second start changes nothing
    assert (Category.objects.count(), Ticket.objects.count()) == before


@pytest.mark.spec("ROUTE-06")
def test_the_web_forms_demo_categories_stay_and_get_the_questions_of_the_same_name(db, smtp_sink):
    from switchboard.web.demo import load_web_demo

    load_demo_data("en")
    load_web_demo("en")
    volunteers = demo_group(VOLUNTEERS)
    theirs = set(volunteers.categories.values_list("name", flat=True))
    load_category_demo("en")
    assert set(volunteers.categories.values_list("name", flat=True)) == theirs  # none added
    assert Ticket.objects.filter(category__name="Volunteering", contact__last_name="Hughes").exists()
    assert demo_group(CLIENTS).categories.filter(name="Pantry").exists()  # a group without categories gets its own
