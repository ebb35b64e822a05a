"""Server time of the agent's busiest pages: call center home, open tickets, the ticket page,
and the navbar's global search.

    .venv/bin/switchboard seed-bench --tickets 100000          # once, into the database below
    .venv/bin/python bench/pages.py [--runs 50] [--only ticket] # SQLite in $SWITCHBOARD_DATA_DIR
    DATABASE_URL=postgres://… .venv/bin/python bench/pages.py   # PostgreSQL

Each page is requested in-process through Django's test client (the whole middleware, view,
selectors and template, no network), as the busiest agent: the one who owns the most open
tickets. Prints median and p95 milliseconds and the number of queries per page, and the median
CPU time of this process per page: on a busy machine it moves much less than the wall time
(with SQLite it includes the queries). On PostgreSQL (on this machine) it also prints the mean
CPU time of the database's server processes per page ("pg cpu ms": planning and running the
queries), read from /proc for this database's connections.

A new page or round trip is one function decorated with ``@bench``: it gets the ``Scene`` (the
agent, their busiest group and ticket) and returns named requests, each a function that makes
one request with the signed-in client and returns the response (``get(url)`` for a page; a POST
such as a Send is written the same way). A request must leave the data as it found it, or say
in its name what it adds, since it runs ``--runs`` + 2 times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from switchboard.tickets.models import Activity, Group, Ticket  # noqa: E402

# One request with the signed-in client; its response (the test client's).
Request = Callable[[Client], Any]


@dataclass(frozen=True)
class Scene:
    """What the requests are made as and about: the busiest agent, their group with the busiest
    open ticket, and that ticket (None on a database without open tickets)."""

    agent: User
    group: Group
    ticket: Ticket | None


BENCHES: list[Callable[[Scene], dict[str, Request]]] = []


def bench(requests: Callable[[Scene], dict[str, Request]]) -> Callable[[Scene], dict[str, Request]]:
    BENCHES.append(requests)
    return requests


def get(url: str) -> Request:
    return lambda client: client.get(url)


@bench
def workspace(scene: Scene) -> dict[str, Request]:
    requests = {"home": get("/"), "open tickets": get(f"/groups/{scene.group.slug}/")}
    if scene.ticket is not None:
        requests["ticket"] = get(f"/tickets/{scene.ticket.number}/")
    return requests


def server_cpu() -> float | None:
    """CPU seconds used so far by PostgreSQL's server processes for this database's connections
    (ours: the pool's), or None when that cannot be read (SQLite; a server on another machine)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        pids = [pid for (pid,) in cursor.fetchall()]
    ticks = 0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except (FileNotFoundError, PermissionError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(client: Client, request: Request, runs: int) -> tuple[float, float, float, float | None, int]:
    """Median and p95 wall milliseconds, median CPU milliseconds of this process, mean CPU
    milliseconds of the database's server processes (None on SQLite), queries."""
    request(client)  # warm caches and connections
    timings, cpu = [], []
    server_started = server_cpu()
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = request(client)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code in {200, 302}, response.status_code
    server_ended = server_cpu()
    server = None if server_started is None or server_ended is None else (server_ended - server_started) * 1000 / runs
    with CaptureQueriesContext(connection) as queries:
        request(client)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return statistics.median(timings), p95, statistics.median(cpu), server, len(queries.captured_queries)


def scene() -> Scene:
    """The busiest agent (the most open tickets owned), their open ticket with the most timeline
    entries and its group; the test client's host allowed."""
    agent = (
        User.objects.filter(is_superuser=False)
        .annotate(open_owned=Count("owned_tickets", filter=Q(owned_tickets__closed_at__isnull=True)))
        .order_by("-open_owned")
        .first()
    )
    if agent is None:
        raise SystemExit("No agents: run `switchboard seed-bench --tickets 100000` first.")
    busiest = (
        Ticket.objects.filter(group__memberships__user=agent, closed_at__isnull=True)
        .annotate(entries=Count("activities"))
        .order_by("-entries")
        .first()
    )
    group = busiest.group if busiest else agent.memberships.first().group  # type: ignore[union-attr]
    settings.ALLOWED_HOSTS.append("testserver")  # the test client's host name
    return Scene(agent=agent, group=group, ticket=busiest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--only", action="append", metavar="NAME", help="measure only this request (repeatable)")
    args = parser.parse_args()

    the_scene = scene()
    agent = the_scene.agent
    client = Client()
    client.force_login(agent)
    pages = {name: request for requests in BENCHES for name, request in requests(the_scene).items()}
    if args.only:
        pages = {name: pages[name] for name in args.only}

    print(
        f"database: {connection.vendor}; tickets: {Ticket.objects.count():,}; activities: {Activity.objects.count():,}"
    )
    print(f"agent: {agent.username}, {len(pages)} pages, {args.runs} runs each")
    print(f"{'page':<20}{'median ms':>10}{'p95 ms':>10}{'cpu ms':>10}{'pg cpu ms':>10}{'queries':>9}")
    for name, request in pages.items():
        median, p95, cpu, server, queries = measure(client, request, args.runs)
        server_text = "" if server is None else f"{server:.1f}"
        print(f"{name:<20}{median:>10.1f}{p95:>10.1f}{cpu:>10.1f}{server_text:>10}{queries:>9}")


@bench
def view_pages(scene: Scene) -> dict[str, Request]:
    """The views across the agent's groups: the navbar's menu (every view's count), a view with
    a default order, the agent's own tickets (what bench/load.py's agents list), and one narrowed
    by filters (seed 001's Calls with an Owner filter)."""
    return {
        "views menu": get("/views/menu/"),
        "my tickets": get("/views/mine/"),
        "needs reply": get("/views/needs-reply/"),
        "calls unowned": get("/views/open/?source=phone&owner=none"),
    }


@bench
def send(scene: Scene) -> dict[str, Request]:
    """Send on the busiest ticket as the reply loop does (htmx, "send and stay": the reply held in
    the outbox for Undo, the ticket shown anew in place). Each run adds a reply to the ticket."""
    if scene.ticket is None:
        return {}
    url = f"/tickets/{scene.ticket.number}/send/"
    form = {"to_address": "contact@example.org", "body_html": "<p>Thank you, we are on it.</p>", "then": "stay"}
    return {"send (adds a reply)": lambda client: client.post(url, form, headers={"HX-Request": "true"})}


@bench
def search(scene: Scene) -> dict[str, Request]:
    """The navbar's global search as one types ("type …": its suggestions) and on Enter ("find …":
    its results page): a caller's number typed with spaces, a contact's name whole and begun, a
    ticket number, the start of an email address, one letter, and two words of a title."""
    from urllib.parse import quote

    from switchboard.contacts.models import ContactPoint

    ticket = (
        Ticket.objects.filter(group__memberships__user=scene.agent, contact__points__kind=ContactPoint.Kind.PHONE)
        .select_related("contact")
        .order_by("-number")
        .first()
    )
    if ticket is None or ticket.contact is None:
        return {}
    phone = ContactPoint.objects.filter(contact=ticket.contact, kind=ContactPoint.Kind.PHONE).first()
    email = ContactPoint.objects.filter(contact=ticket.contact, kind=ContactPoint.Kind.EMAIL).first()
    number = phone.value if phone else ""
    texts = {
        "phone spaced": f"{number[:3]} {number[3:6]} {number[6:9]} {number[9:]}",
        "name": ticket.contact.display_name,
        "name begun": ticket.contact.display_name[:3],
        "#number": f"#{ticket.number}",
        "email begun": email.value[:6] if email else "",
        "one letter": "m",
        "title words": " ".join(ticket.title.split()[:2]),
    }
    requests = {}
    for label, text in texts.items():
        requests[f"type {label}"] = get(f"/search/suggestions/?q={quote(text)}")
        requests[f"find {label}"] = get(f"/search/?q={quote(text)}")
    return requests


@bench
def contact_search(scene: Scene) -> dict[str, Request]:
    """The contacts list's search box as one types ("suggest …": /contacts/suggestions/, what the
    box and the ticket page's contact picker show) and on Enter ("list …": /contacts/, a page of
    25): a surname whole, typed without its accents, and begun; one and two letters; a first and
    last name; a phone number typed with spaces, and its national part; the start of an address;
    and a word nobody has."""
    from urllib.parse import quote

    from switchboard.contacts.models import Contact, ContactPoint
    from switchboard.contacts.search import fold

    accented = Contact.objects.filter(last_name__in=["Wójcik", "Wiśniewski", "Müller", "Lefèvre"]).first()
    phone = ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE, value__startswith="+48").order_by("-id").first()
    email = ContactPoint.objects.filter(kind=ContactPoint.Kind.EMAIL).order_by("-id").first()
    if accented is None or phone is None or email is None:
        return {}
    number = phone.value
    texts = {
        "surname unaccented": fold(accented.last_name),
        "surname begun": accented.last_name[:3],
        "one letter": "m",
        "two letters": "ma",
        "first and last": f"{accented.first_name} {accented.last_name}",
        "phone spaced": f"{number[:3]} {number[3:6]} {number[6:9]} {number[9:]}",
        "phone national": number[3:],
        "email begun": email.value[:6],
        "no match": "zzzqx",
    }
    requests = {}
    for label, text in texts.items():
        requests[f"suggest {label}"] = get(f"/contacts/suggestions/?q={quote(text)}")
    for label in ("surname unaccented", "one letter", "phone spaced"):
        requests[f"list {label}"] = get(f"/contacts/?q={quote(texts[label])}")
    requests["list all"] = get("/contacts/")
    return requests


if __name__ == "__main__":
    main()
