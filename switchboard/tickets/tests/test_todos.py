"""To-dos (AGENT-02): an agent's own, added on home or from a ticket's page (tied to it), ticked
off and opened again, deleted; overdue ones marked on home in red and in words; nobody else sees
or changes them; a ticket of another group cannot be tied; home costs the same queries for 5 and
200 to-dos."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from switchboard.tickets.models import AgentProfile, Ticket, Todo
from switchboard.tickets.tests.factories import make_ticket
from switchboard.tickets.todos import TodoError, do_add_todo, do_delete_todo, do_set_todo_done, get_my_todos

# A Saturday morning in Warsaw (UTC+1 in December).
START = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")

pytestmark = pytest.mark.spec("AGENT-02")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def in_hours(hours: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, todo: Todo) -> str:
    start = html.index(f'data-todo-row="{todo.pk}"')
    return html[start : html.index("</li>", start)]


def open_section(html: str) -> str:
    """Home's open to-dos, without the folded done ones."""
    section = html[html.index("data-my-todos") :]
    return section[: section.index("</ul>")]


# --- the actions ------------------------------------------------------------------------------


def test_an_agent_adds_ticks_off_opens_again_and_deletes_a_todo(clock, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    todo = do_add_todo(text="  Call   the  printer ", due_at=in_hours(2), ticket=ticket, acting_user=alice_agent)
    assert (todo.text, todo.ticket, todo.agent, todo.is_done) == ("Call the printer", ticket, alice_agent, False)
    done = do_set_todo_done(todo, done=True, acting_user=alice_agent)
    assert done.done_at == START
    clock.shift(dt.timedelta(hours=1))
    assert do_set_todo_done(todo, done=True, acting_user=alice_agent).done_at == START, "done once stays as it was"
    assert do_set_todo_done(todo, done=False, acting_user=alice_agent).done_at is None
    do_delete_todo(todo, acting_user=alice_agent)
    assert not Todo.objects.exists()


def test_an_empty_or_too_long_todo_is_refused_with_the_reason(volunteers, alice_agent):
    with pytest.raises(TodoError, match="Write what is to be done"):
        do_add_todo(text=" \n ", acting_user=alice_agent)
    with pytest.raises(TodoError, match="at most 300 characters"):
        do_add_todo(text="x" * 301, acting_user=alice_agent)
    assert not Todo.objects.exists()


def test_a_ticket_of_a_group_the_agent_is_not_in_cannot_be_tied(client, donations, alice_agent):
    other = make_ticket(donations)
    with pytest.raises(PermissionDenied):
        do_add_todo(text="Look at it", ticket=other, acting_user=alice_agent)
    client.force_login(alice_agent)
    response = client.post(reverse("add_ticket_todo", args=[other.number]), {"text": "Look at it"})
    assert response.status_code == 404
    assert not Todo.objects.exists()


def test_only_the_owner_sees_and_changes_their_todos(client, volunteers, alice_agent, bob_agent):
    from switchboard.tickets.tests.factories import make_agent

    colleague = make_agent("anna", "AN", groups=[volunteers])
    manager = make_agent("maya", "MA", groups=[volunteers], role="manager")
    todo = do_add_todo(text="Alice private reminder", acting_user=alice_agent)
    for other in (colleague, manager, bob_agent):
        with pytest.raises(PermissionDenied):
            do_set_todo_done(todo, done=True, acting_user=other)
        with pytest.raises(PermissionDenied):
            do_delete_todo(todo, acting_user=other)
        client.force_login(other)
        assert "Alice private reminder" not in home(client)
        assert get_my_todos(other).open == []
        for name in ("set_todo_done", "delete_todo"):
            assert client.post(reverse(name, args=[todo.pk]), {"done": "1"}).status_code == 404
    todo.refresh_from_db()
    assert todo.done_at is None
    client.force_login(alice_agent)
    assert "Alice private reminder" in home(client)


# --- the pages --------------------------------------------------------------------------------


def test_on_home_an_agent_adds_a_todo_due_in_their_time_zone_ticks_it_off_and_back(clock, client, alice_agent):
    AgentProfile.objects.filter(user=alice_agent).update(time_zone="Europe/Warsaw")
    client.force_login(alice_agent)
    response = client.post(reverse("add_todo"), {"text": "Send the rota", "due_at": "2026-12-05 15:30"}, follow=True)
    assert "To-do added." in response.content.decode()
    todo = Todo.objects.get()
    assert todo.due_at == dt.datetime(2026, 12, 5, 15, 30, tzinfo=WARSAW), "typed in the agent's own time"
    html = home(client)
    assert "Send the rota" in row(html, todo) and "5 Dec 2026 15:30" in row(html, todo), "shown in her time"
    assert "data-todos-count>1<" in html

    client.post(reverse("set_todo_done", args=[todo.pk]), {"done": "1"})
    html = home(client)
    assert "Send the rota" not in open_section(html), "done ones are folded away"
    assert "Done lately (1)" in html and "<s" in row(html[html.index("data-todos-done") :], todo)
    client.post(reverse("set_todo_done", args=[todo.pk]), {"done": "0"})
    assert "Send the rota" in open_section(home(client))

    response = client.post(reverse("delete_todo", args=[todo.pk]), follow=True)
    assert "To-do deleted." in response.content.decode() and "Send the rota" not in response.content.decode()


def test_a_badly_typed_due_time_is_refused_on_home_with_the_reason(client, alice_agent):
    client.force_login(alice_agent)
    response = client.post(reverse("add_todo"), {"text": "Send the rota", "due_at": "tomorrow-ish"}, follow=True)
    assert "Enter a valid date/time." in response.content.decode()
    assert not Todo.objects.exists()


def test_from_a_ticket_page_a_todo_is_tied_to_it_and_its_title_offered(client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    form = page[page.index("data-todo-form") :]
    assert f'value="{ticket.title}"' in form[: form.index("</form>")]
    assert "<kbd>t</kbd>" in page, "the key is in the cheat sheet"
    response = client.post(reverse("add_ticket_todo", args=[ticket.number]), {"text": "Ask for the invoice"})
    assert response.status_code == 302 and response["Location"] == reverse("ticket", args=[ticket.number])
    todo = Todo.objects.get()
    assert (todo.ticket, todo.agent) == (ticket, alice_agent)
    assert f'href="/tickets/{ticket.number}/"' in row(home(client), todo)

    refused = client.post(reverse("add_ticket_todo", args=[ticket.number]), {"text": "", "due_at": "soon"})
    assert refused.status_code == 400
    form = refused.content.decode()[refused.content.decode().index("data-todo-form") :]
    assert "collapse card card-body p-2 mb-2 small show" in refused.content.decode()
    assert "This field is required." in form and "Enter a valid date/time." in form
    assert Todo.objects.count() == 1


def test_overdue_todos_come_first_in_red_with_an_icon_and_in_words(clock, client, volunteers, alice_agent):
    later = do_add_todo(text="Later", due_at=in_hours(3), acting_user=alice_agent)
    sometime = do_add_todo(text="Sometime", acting_user=alice_agent)
    soon = do_add_todo(text="Soon", due_at=in_hours(1), acting_user=alice_agent)
    client.force_login(alice_agent)
    html = home(client)
    assert [t.pk for t in get_my_todos(alice_agent).open] == [soon.pk, later.pk, sometime.pk]
    assert "Overdue" not in open_section(html) and "data-todos-overdue" not in html

    clock.shift(dt.timedelta(hours=2))  # "Soon" is an hour late; "Later" due in an hour
    html = home(client)
    assert html.index("Soon") < html.index("Later") < html.index("Sometime")
    late = row(html, soon)
    assert 'class="text-danger fw-semibold" data-todo-overdue><i class="bi bi-exclamation-triangle-fill"' in late
    assert "Overdue · " in late
    assert "Overdue" not in row(html, later) and "Overdue" not in row(html, sometime)
    assert "1 overdue" in html


def test_a_todo_shows_its_ticket_only_while_the_agent_may_see_it(client, volunteers, donations, alice_agent):
    ticket = make_ticket(volunteers)
    todo = do_add_todo(text="Follow up", ticket=ticket, acting_user=alice_agent)
    client.force_login(alice_agent)
    assert ticket.title in row(home(client), todo)
    Ticket.objects.filter(pk=ticket.pk).update(group=donations)  # moved to a group she is not in
    assert get_my_todos(alice_agent).open[0].ticket_shown is False
    html = home(client)
    assert "Follow up" in html and ticket.title not in html


def test_home_costs_the_same_queries_for_5_and_200_todos(client, volunteers, alice_agent):
    def add(count: int) -> None:
        for n in range(count):
            ticket = tickets[n % len(tickets)] if n % 2 else None
            todo = do_add_todo(
                text=f"To-do {n}", due_at=in_hours(n - 50) if n % 3 else None, ticket=ticket, acting_user=alice_agent
            )
            if n % 4 == 0:
                do_set_todo_done(todo, done=True, acting_user=alice_agent)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("home")).status_code == 200
        return len(context.captured_queries)

    tickets = [make_ticket(volunteers) for _ in range(3)]
    add(5)
    client.force_login(alice_agent)
    small = queries()
    add(195)
    assert queries() == small
    html = home(client)
    assert open_section(html).count("data-todo-row") == 30 and "data-todos-count>149<" in html
    assert "and 119 more, due later" in html


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_gives_anna_to_dos_in_its_language_once(client, db, language):
    from switchboard.tickets.demo import load_demo_data
    from switchboard.tickets.demo_todos import TODOS, load_todo_demo

    load_demo_data(language)
    load_todo_demo(language)
    load_todo_demo(language)
    anna = Todo.objects.filter(agent__username="anna")
    assert sorted(anna.values_list("text", flat=True)) == sorted(text for text, *_ in TODOS[language])
    client.force_login(anna.first().agent)
    html = home(client)
    assert "data-todos-overdue" in html and "data-todo-ticket" in html
