"""The scaled form under load: real processes on this machine, agents over HTTP and WebSockets,
inbound mail over LMTP, for a bounded time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sb_load REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/load.py [--short] [--agents 50] [--rate 20] [--duration 300]

It DROPS and creates the PostgreSQL database of DATABASE_URL (its name must contain "load") and
empties the Redis database of REDIS_URL, migrates, seeds `seed-bench --tickets N` and gives the
seeded agents a password. Then it starts 2 `switchboard web` processes (two ports), 2
`switchboard worker` processes (exactly one with SCHEDULER=1) and `switchboard lmtp`, each in a
process group of its own, stopped at the end whatever happens.

Each simulated agent signs in (session cookie, CSRF token), keeps the home page's live socket
(/ws/groups/) open and, in a loop with a think time: lists their tickets (/views/mine/), opens
one (the page, its live socket /ws/tickets/<id>/ and the "opened" post the page sends), changes
its status through the page's own header form and sends a reply as the reply loop does. Half of
the agents use one web process, half the other. Meanwhile inbound messages arrive at --rate per
second, each with a unique Message-ID and a marker in its text.

Prints p50/p95/p99 per request kind, errors (a status other than 2xx/3xx, a refused form, an
exception), the messages lost or duplicated (after the run the queue is left to drain, then the
markers stored on timelines are counted against those accepted) and the job queue's depth over
time, and the CPU seconds each kind of process used (web, worker, lmtp, nginx, the PostgreSQL
backends of this database, this client), from /proc. Exits 1 when there were errors or a
message was lost or duplicated; latency is a figure, not a test (aim: p95 under 300 ms).

Another inbound channel (the REST API) is one function: an async ``send(ctx, message)`` that
raises when the message was not accepted, added to CHANNELS with the timeline kinds its
messages become, and chosen with --inbound lmtp,api.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import os
import random
import re
import shutil
import signal
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
SWITCHBOARD = str(Path(sys.executable).parent / "switchboard")
PASSWORD = "load-test-password-1"  # noqa: S105 - the seeded agents' in a throwaway database
QUEUE_KEY, SCHEDULE_KEY = "huey.redis.switchboard", "huey.schedule.switchboard"
MAIL_DOMAIN = "load.example"


# --- the processes --------------------------------------------------------------------------


class Processes:
    """Children in process groups of their own; all stopped by ``stop`` (also at exit and on SIGTERM)."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        atexit.register(self.stop)

    def start(self, name: str, args: list[str], env: dict[str, str], *, program: str = SWITCHBOARD) -> None:
        with (self.logs / f"{name}.log").open("wb") as out:
            self.children[name] = subprocess.Popen(  # noqa: S603 - our own command, or nginx
                [program, *args], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def check_alive(self) -> None:
        for name, child in self.children.items():
            if child.poll() is not None:
                raise SystemExit(f"{name} exited ({child.returncode}):\n{self.log(name)[-3000:]}")

    def stop(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                try:
                    os.killpg(child.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 20
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.children.clear()


def server_errors(processes: Processes) -> None:
    """The first error each process logged (a 500's traceback), to see why without digging."""
    for name in sorted(processes.logs.glob("*.log")):
        lines = name.read_text(errors="replace").splitlines()
        first = next((i for i, line in enumerate(lines) if " ERROR " in line or line.startswith("Traceback")), None)
        if first is not None:
            count = sum(" ERROR " in line for line in lines)
            print(f"--- {name.stem}: {count} ERROR lines; the first:", *lines[first : first + 40], sep="\n")


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> tuple[int, float] | None:
    """A process's group id and its CPU seconds so far (user + system, all its threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[2]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class CpuMeter:
    """CPU seconds per process kind (web, worker, lmtp, nginx: our children's process groups;
    postgres: the server's processes serving our database; load client: this process), sampled
    every second: a process that ends between two samples loses its last second at most."""

    def __init__(self, processes: Processes, database_url: str) -> None:
        self.processes, self.database_url = processes, database_url
        self.last: dict[tuple[str, int], float] = {}  # (kind, pid): CPU seconds when last seen
        self.marks: dict[str, dict[str, float]] = {}
        self.connection: psycopg.Connection[Any] | None = None

    def kind(self, name: str) -> str:
        return name.split("-")[0]

    def sample(self) -> None:
        groups = {child.pid: self.kind(name) for name, child in self.processes.children.items()}
        pids = [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]
        if self.connection is None:
            self.connection = psycopg.connect(self.database_url, autocommit=True)
        backends = {
            pid
            for (pid,) in self.connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        }
        for pid in pids:
            if (seen := cpu_seconds(pid)) is None:
                continue
            group, seconds = seen
            kind = "postgres" if pid in backends else groups.get(group)
            if kind is not None:
                self.last[(kind, pid)] = seconds
        times = os.times()
        self.last[("load client", os.getpid())] = times.user + times.system

    def mark(self, name: str) -> None:
        self.sample()
        totals: dict[str, float] = defaultdict(float)
        for (kind, _), seconds in self.last.items():
            totals[kind] += seconds
        self.marks[name] = dict(totals)

    def between(self, first: str, second: str) -> dict[str, float]:
        a, b = self.marks.get(first, {}), self.marks.get(second, {})
        return {kind: b[kind] - a.get(kind, 0.0) for kind in sorted(b)}

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, ready: Callable[[], bool], processes: Processes, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        processes.check_alive()
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} not ready within {timeout} s")
        time.sleep(0.25)


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 - our own local server
    except OSError:
        return False
    return True


def listens(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def nginx_config(directory: Path, listen: int, ports: list[int]) -> Path:
    """nginx in front of the web processes, passing requests as deploy/nginx/proxy.conf says."""
    directory.mkdir(mode=0o777)
    directory.chmod(0o777)  # its workers run as another user
    servers = "".join(f"        server 127.0.0.1:{port};\n" for port in ports)
    temp = "".join(
        f"    {kind}_temp_path {directory}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = directory / "nginx.conf"
    config.write_text(
        f"""pid {directory}/nginx.pid;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    access_log off;
{temp}    map $http_upgrade $connection_upgrade {{ default upgrade; "" ""; }}
    upstream switchboard {{
{servers}        keepalive 32;
        keepalive_timeout 4s;
    }}
    server {{
        listen 127.0.0.1:{listen};
        location / {{
            proxy_pass http://switchboard;
            include {ROOT / "deploy" / "nginx" / "proxy.conf"};
        }}
    }}
}}
"""
    )
    return config


def run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([SWITCHBOARD, *args], env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"switchboard {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")


# --- the data -------------------------------------------------------------------------------


def fresh_database(database_url: str) -> None:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if "load" not in name:
        raise SystemExit(f"bench/load.py drops its database: {name!r} must contain 'load'.")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


@dataclass(frozen=True)
class Agent:
    username: str
    groups: list[str]


def prepare_data(env: dict[str, str], tickets: int, agents: int) -> tuple[list[Agent], list[str]]:
    """Migrate and seed, then (through Django, in this process) the seeded agents' password and
    the groups' addresses, acknowledgements and least-load routing. The agents and the addresses."""
    run(["manage", "migrate", "--verbosity", "0"], env)
    groups = max(2, min(10, agents // 5))
    run(
        ["seed-bench", "--tickets", str(tickets), "--agents", str(agents), "--groups", str(groups), "--seed", "42"], env
    )
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from switchboard.tickets.models import Group, Membership

    users = get_user_model().objects.filter(memberships__isnull=False).distinct().order_by("pk")[:agents]
    get_user_model().objects.filter(pk__in=[user.pk for user in users]).update(password=make_password(PASSWORD))
    addresses = []
    for group in Group.objects.order_by("pk"):
        group.reply_address = f"{group.slug}@{MAIL_DOMAIN}"
        group.autoresponder = True
        group.assignment_rule = Group.AssignmentRule.LEAST_LOAD
        group.assignment_limit = 50
        group.save()
        addresses.append(group.reply_address)
    slugs: dict[int, list[str]] = defaultdict(list)
    for user_id, slug in Membership.objects.values_list("user_id", "group__slug"):
        slugs[user_id].append(slug)
    return [Agent(user.username, slugs[user.pk]) for user in users], addresses


def stored_markers(run_id: str, kinds: set[str]) -> Counter[int]:
    """How often each message's marker is on a timeline entry of the channels' kinds."""
    from switchboard.tickets.models import Activity

    pattern = re.compile(rf"LOADMARK-{run_id}-(\d+)\b")
    found: Counter[int] = Counter()
    for body in Activity.objects.filter(kind__in=kinds, body__contains=f"LOADMARK-{run_id}-").values_list(
        "body", flat=True
    ):
        found.update(int(n) for n in set(pattern.findall(body)))
    return found


def waiting_markers(run_id: str) -> set[int]:
    """The messages stored (answered 250) but not yet applied by a job."""
    from switchboard.intake.models import RawMessage

    pattern = re.compile(rb"LOADMARK-" + run_id.encode() + rb"-(\d+)\b")  # in the bytes: not parsed yet
    waiting = RawMessage.objects.filter(state=RawMessage.State.STORED).values_list("data", flat=True)
    return {int(m[1]) for data in waiting.iterator() if (m := pattern.search(bytes(data)))}


def raw_message_states() -> dict[str, int]:
    from django.db.models import Count

    from switchboard.intake.models import RawMessage

    return dict(RawMessage.objects.values_list("state").annotate(n=Count("pk")).order_by())


# --- figures --------------------------------------------------------------------------------


@dataclass
class Figures:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)
    queue: list[tuple[float, int, int]] = field(default_factory=list)  # seconds, queued, scheduled
    live_events: int = 0
    accepted: set[int] = field(default_factory=set)
    refused: set[int] = field(default_factory=set)

    def error(self, kind: str, what: str) -> None:
        self.errors[kind] += 1
        self.samples.setdefault(kind, what[:300])

    @contextmanager
    def timed(self, kind: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError, smtplib.SMTPException) as exc:
            self.error(kind, f"{type(exc).__name__}: {exc}")
            raise Skip from exc
        self.times[kind].append((time.perf_counter() - start) * 1000)


class Skip(Exception):
    """A step failed (already counted): the agent goes on with the next round."""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- an agent -------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The fields of the form with the given id (inside it, or outside with form="<id>"): inputs,
    the selected option of each select (and every option's value), textareas."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select, self.textarea = form_id, False, "", ""
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = defaultdict(list)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if tag == "option" and self.select:
            self.options[self.select].append(a.get("value", ""))
            if "selected" in a:
                self.fields[self.select] = a.get("value", "")
        if not self.inside and a.get("form") != self.form_id:  # a field may sit outside with form="id"
            return
        if tag == "input" and a.get("name") and a.get("type") not in {"checkbox", "radio", "file", "submit"}:
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a.get("name", "")
            self.fields.setdefault(self.select, "")
        elif tag == "textarea":
            self.textarea = a.get("name", "")
            self.fields[self.textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = ""
        elif tag == "textarea":
            self.textarea = ""

    def handle_data(self, data: str) -> None:
        if self.inside and self.textarea:
            self.fields[self.textarea] += data


def read_form(html: str, form_id: str) -> FormReader:
    reader = FormReader(form_id)
    reader.feed(html)
    return reader


@dataclass
class Scenario:
    figures: Figures
    stop_at: float
    think: float
    rng: random.Random


async def fetch(
    http: aiohttp.ClientSession, s: Scenario, kind: str, method: str, url: str, *, ok: set[int], **kw: Any
) -> tuple[int, str]:
    with s.figures.timed(kind):
        async with http.request(method, url, allow_redirects=False, **kw) as response:
            text = await response.text()
    if response.status not in ok:
        s.figures.error(kind, f"{method} {url}: {response.status} {text[:200]!r}")
        raise Skip
    return response.status, text


def csrf(http: aiohttp.ClientSession) -> str:
    return next((c.value for c in http.cookie_jar if c.key == "csrftoken"), "")


async def listen(ws: aiohttp.ClientWebSocketResponse, figures: Figures) -> None:
    async for message in ws:
        if message.type == aiohttp.WSMsgType.TEXT:
            figures.live_events += 1


async def think(s: Scenario) -> None:
    await asyncio.sleep(min(max(0.0, s.stop_at - time.monotonic()), s.rng.expovariate(1 / s.think)))


async def work_one_ticket(http: aiohttp.ClientSession, s: Scenario, base: str, agent: Agent) -> None:
    _, mine = await fetch(http, s, "list my tickets", "GET", "/views/mine/", ok={200})
    numbers = sorted(set(re.findall(r'href="/tickets/(\d+)/"', mine)))
    if not numbers:  # nothing of their own yet: the group's open tickets
        _, listing = await fetch(http, s, "list group tickets", "GET", f"/groups/{agent.groups[0]}/", ok={200})
        numbers = sorted(set(re.findall(r'href="/tickets/(\d+)/"', listing)))
    if not numbers:
        await think(s)
        return
    number = s.rng.choice(numbers)
    url = f"/tickets/{number}/"
    _, page = await fetch(http, s, "open ticket", "GET", url, ok={200})
    ticket_id = re.search(r'data-ticket-socket="/ws/tickets/(\d+)/"', page)
    ws = None
    if ticket_id:
        with s.figures.timed("ws connect ticket"):
            ws = await http.ws_connect(f"/ws/tickets/{ticket_id[1]}/", origin=base)
        reader = asyncio.create_task(listen(ws, s.figures))
    try:
        _, opened = await fetch(
            http, s, "opened (post)", "POST", f"{url}opened/", ok={200}, headers={"X-CSRFToken": csrf(http)}
        )
        if '"changed": true' in opened:  # the page shows itself anew, as the browser does
            _, page = await fetch(http, s, "open ticket", "GET", url, ok={200})
        await think(s)
        header = read_form(page, "ticket-header")
        statuses = [value for value in header.options.get("status", []) if value != header.fields.get("status")]
        if statuses:
            form = {**header.fields, "status": s.rng.choice(statuses), "csrfmiddlewaretoken": csrf(http)}
            await fetch(http, s, "update status (post)", "POST", url, ok={302}, data=form)
        await think(s)
        to_address = read_form(page, "reply").fields.get("to_address") or f"contact@{MAIL_DOMAIN}"
        reply = {"to_address": to_address, "body_html": "<p>Thank you, we are on it.</p>", "then": "stay"}
        headers = {"HX-Request": "true", "X-CSRFToken": csrf(http)}
        _, sent = await fetch(http, s, "reply (post)", "POST", f"{url}send/", ok={200}, data=reply, headers=headers)
        if "data-sent-ticket" not in sent:
            s.figures.error("reply (post)", f"reply on #{number} refused: {sent[:300]!r}")
    finally:
        if ws is not None:
            await ws.close()
            await reader


async def agent_session(agent: Agent, base: str, s: Scenario) -> None:
    jar = aiohttp.CookieJar(unsafe=True)  # cookies of an IP address
    timeout = aiohttp.ClientTimeout(total=60)
    # An idle connection is closed by the client before uvicorn's 5 s keep-alive ends, as
    # browsers and proxies do: else a request may go out on a connection the server is closing.
    connector = aiohttp.TCPConnector(keepalive_timeout=3)
    async with aiohttp.ClientSession(base_url=base, cookie_jar=jar, timeout=timeout, connector=connector) as http:
        try:
            await fetch(http, s, "sign-in page", "GET", "/login/", ok={200})
            form = {"username": agent.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf(http)}
            await fetch(http, s, "sign in (post)", "POST", "/login/", ok={302}, data=form)
            await fetch(http, s, "home", "GET", "/", ok={200})
            with s.figures.timed("ws connect home"):
                home = await http.ws_connect("/ws/groups/", origin=base)
        except Skip:
            return
        reader = asyncio.create_task(listen(home, s.figures))
        while time.monotonic() < s.stop_at:
            try:
                await work_one_ticket(http, s, base, agent)
            except Skip:
                await think(s)
            await think(s)
        await home.close()
        await reader


# --- inbound messages -----------------------------------------------------------------------


@dataclass(frozen=True)
class Inbound:
    n: int
    marker: str
    sender: str
    to: str

    def email(self) -> bytes:
        mail = EmailMessage()
        mail["From"] = f"Load Sender {self.n} <{self.sender}>"
        mail["To"] = self.to
        mail["Subject"] = f"Question about my order {self.n}"
        mail["Date"] = formatdate()
        mail["Message-ID"] = make_msgid(idstring=self.marker, domain=MAIL_DOMAIN)
        mail.set_content(f"Hello,\n\nmy parcel has not arrived yet. Reference {self.marker}.\n\nThank you\n")
        return mail.as_bytes()


@dataclass(frozen=True)
class Context:
    lmtp_port: int
    web: list[str]
    pool: ThreadPoolExecutor


def lmtp_deliver(port: int, message: Inbound) -> None:
    with smtplib.LMTP("127.0.0.1", port, timeout=30) as lmtp:
        refused = lmtp.sendmail(message.sender, [message.to], message.email())
    if refused:
        raise smtplib.SMTPException(f"refused: {refused}")


async def send_lmtp(ctx: Context, message: Inbound) -> None:
    """As the organisation's mail server hands a message on: 250 once stored (sendmail raises otherwise)."""
    await asyncio.get_running_loop().run_in_executor(ctx.pool, lmtp_deliver, ctx.lmtp_port, message)


@dataclass(frozen=True)
class Channel:
    send: Callable[[Context, Inbound], Awaitable[None]]
    kinds: frozenset[str]  # the timeline entries its messages become


CHANNELS: dict[str, Channel] = {"lmtp": Channel(send_lmtp, frozenset({"email_in"}))}


async def inbound(ctx: Context, s: Scenario, run_id: str, rate: float, channels: list[str], to: list[str]) -> None:
    """Open-loop arrivals at ``rate`` per second, at most 200 in flight."""
    in_flight = asyncio.Semaphore(200)
    tasks: set[asyncio.Task[None]] = set()

    async def one(n: int) -> None:
        name = channels[n % len(channels)]
        message = Inbound(n, f"LOADMARK-{run_id}-{n}", f"sender{n}.{run_id}@customers.{MAIL_DOMAIN}", to[n % len(to)])
        try:
            with s.figures.timed(f"inbound {name}"):
                await CHANNELS[name].send(ctx, message)
            s.figures.accepted.add(n)
        except Skip:
            s.figures.refused.add(n)
        finally:
            in_flight.release()

    start, n = time.monotonic(), 0
    while (at := start + n / rate) < s.stop_at:
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        await in_flight.acquire()
        task = asyncio.create_task(one(n))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        n += 1
    if tasks:
        await asyncio.wait(tasks)


async def sample_queue(
    client: redis.Redis, figures: Figures, cpu: CpuMeter, start: float, until: Callable[[], bool]
) -> None:
    while not until():
        queued, scheduled = client.llen(QUEUE_KEY), client.zcard(SCHEDULE_KEY)
        figures.queue.append((time.monotonic() - start, int(queued), int(scheduled)))
        cpu.sample()
        await asyncio.sleep(1)


async def load(
    ctx: Context,
    agents: list[Agent],
    to: list[str],
    args: argparse.Namespace,
    run_id: str,
    r: redis.Redis,
    cpu: CpuMeter,
) -> Figures:
    figures = Figures()
    start = time.monotonic()
    s = Scenario(figures, start + args.duration, args.think, random.Random(42))  # noqa: S311 - a load's choices
    done = False
    sampler = asyncio.create_task(sample_queue(r, figures, cpu, start, lambda: done))
    channels = args.inbound.split(",")
    work = [agent_session(agent, ctx.web[i % len(ctx.web)], s) for i, agent in enumerate(agents)]
    await asyncio.gather(*work, inbound(ctx, s, run_id, args.rate, channels, to))
    done = True
    await sampler
    return figures


# --- the run --------------------------------------------------------------------------------


def report(
    figures: Figures, found: Counter[int], waiting: set[int], args: argparse.Namespace, drained: float | None
) -> int:
    print(f"\n{'kind':<24}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}")
    for kind in sorted(set(figures.times) | set(figures.errors)):
        times = figures.times.get(kind) or [0.0]
        print(
            f"{kind:<24}{len(figures.times.get(kind, [])):>7}{statistics.median(times):>9.0f}"
            f"{percentile(times, 95):>9.0f}{percentile(times, 99):>9.0f}{max(times):>9.0f}{figures.errors[kind]:>8}"
        )
    http = [t for kind, times in figures.times.items() if not kind.startswith("inbound") for t in times]
    if http:
        print(
            f"{'all agent requests':<24}{len(http):>7}{statistics.median(http):>9.0f}{percentile(http, 95):>9.0f}"
            f"{percentile(http, 99):>9.0f}{max(http):>9.0f}   ({len(http) / args.duration:.1f} requests/s)"
        )
    for kind, sample in figures.samples.items():
        print(f"  error, {kind}: {sample}")
    lost = sorted(figures.accepted - set(found) - waiting)
    unverified = sorted(waiting - set(found))
    duplicated = sorted(n for n, count in found.items() if count > 1)
    print(
        f"\ninbound: {len(figures.accepted)} accepted ({len(figures.accepted) / args.duration:.1f}/s), "
        f"{len(figures.refused)} refused or failed; on a timeline {len(found)}; lost {len(lost)}, "
        f"duplicated {len(duplicated)}"
        + (f" (e.g. lost {lost[:5]}, duplicated {duplicated[:5]})" if lost or duplicated else "")
    )
    if unverified:
        print(f"NOT YET APPLIED when the wait ended (stored, neither lost nor counted): {len(unverified)}")
    print(
        f"queue drained {f'after {drained:.0f} s' if drained is not None else 'NOT within the timeout'}; "
        f"raw messages by state: {raw_message_states()}; live events received by agents: {figures.live_events}"
    )
    print("job queue depth (queued / scheduled), max per 10 s:")
    by_window: dict[int, tuple[int, int]] = {}
    for at, queued, scheduled in figures.queue:
        old = by_window.get(int(at // 10), (0, 0))
        by_window[int(at // 10)] = (max(old[0], queued), max(old[1], scheduled))
    print("  " + "  ".join(f"{w * 10}s:{q}/{sc}" for w, (q, sc) in sorted(by_window.items())))
    errors = sum(figures.errors.values())
    print(
        f"\nerrors {errors}, lost {len(lost)}, duplicated {len(duplicated)}, not yet applied {len(unverified)};"
        " aim: p95 < 300 ms, 0, 0, 0, 0"
    )
    return 1 if errors or lost or duplicated or unverified else 0


def report_cpu(cpu: CpuMeter, figures: Figures, args: argparse.Namespace, drained: float | None) -> None:
    """CPU seconds per process kind during the load and during the wait after it, and what that
    makes per agent request (web) and per inbound message (lmtp, worker)."""
    during, after = cpu.between("start", "load end"), cpu.between("load end", "drained")
    requests = sum(len(times) for kind, times in figures.times.items() if not kind.startswith("inbound"))
    messages = len(figures.accepted)
    wait = drained if drained is not None else args.drain_timeout
    print(f"\nCPU seconds by process kind (/proc; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}):")
    print(f"{'':<14}{'during load':>12}{'cores':>7}{'after load':>12}{'per unit':>30}")
    for kind in sorted(set(during) | set(after)):
        per = ""
        if kind == "web" and requests:
            per = f"{during[kind] / requests * 1000:.1f} ms per agent request"
        elif kind in {"worker", "lmtp"} and messages:
            per = f"{(during.get(kind, 0) + after.get(kind, 0)) / messages * 1000:.1f} ms per message"
        elif kind == "postgres" and requests + messages:
            per = f"{(during.get(kind, 0) + after.get(kind, 0)) / (requests + messages) * 1000:.1f} ms per req+msg"
        print(
            f"{kind:<14}{during.get(kind, 0):>12.1f}{during.get(kind, 0) / args.duration:>7.2f}"
            f"{after.get(kind, 0):>12.1f}{per:>30}"
        )
    total = sum(during.values())
    print(f"{'all':<14}{total:>12.1f}{total / args.duration:>7.2f}{sum(after.values()):>12.1f}   (after: {wait:.0f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="the CI form: 60 s, 10 agents, 5 messages/s, 2000 tickets")
    parser.add_argument("--agents", type=int, help="simulated agents (50)")
    parser.add_argument("--rate", type=float, help="inbound messages per second (20)")
    parser.add_argument("--duration", type=float, help="seconds of load (300)")
    parser.add_argument("--tickets", type=int, help="tickets seeded (10000)")
    parser.add_argument("--think", type=float, default=1.0, help="an agent's mean pause between steps, seconds (1)")
    parser.add_argument("--inbound", default="lmtp", help=f"channels of inbound messages, of {', '.join(CHANNELS)}")
    parser.add_argument(
        "--proxy",
        choices=["nginx", "none"],
        default="nginx" if shutil.which("nginx") else "none",
        help="the agents go through nginx (deploy/nginx/proxy.conf), the default where nginx is installed, "
        "or half to each web process",
    )
    parser.add_argument(
        "--ports", type=int, help="the first of four ports to use (web, web, LMTP, nginx); else free ones"
    )
    parser.add_argument("--drain-timeout", type=float, default=120, help="seconds to wait for the queue at the end")
    args = parser.parse_args()
    defaults = (10, 5.0, 60.0, 2000) if args.short else (50, 20.0, 300.0, 10000)
    for name, default in zip(("agents", "rate", "duration", "tickets"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url:
        raise SystemExit("Set DATABASE_URL=postgres://…/<name with 'load'> and REDIS_URL=redis://…/<db>.")
    if unknown := set(args.inbound.split(",")) - set(CHANNELS):
        raise SystemExit(f"unknown inbound channel(s): {', '.join(unknown)}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the children are stopped too

    data_dir = Path(tempfile.mkdtemp(prefix="switchboard-load-"))
    data_dir.chmod(0o755)  # nginx's workers reach their temporary folder inside
    started = time.monotonic()
    fresh_database(database_url)
    r = redis.Redis.from_url(redis_url)
    r.flushdb()
    env = {
        **os.environ,
        "SWITCHBOARD_DATA_DIR": str(data_dir),
        "SECRET_KEY": "load-" + os.urandom(16).hex(),
        "EMAIL_DELIVERY": "file",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    agents, to = prepare_data(env, args.tickets, args.agents)
    if len(agents) < args.agents:
        raise SystemExit(f"only {len(agents)} seeded agents")
    processes = Processes(data_dir)
    cpu = CpuMeter(processes, database_url)
    status = 1
    try:
        numbers = [args.ports + n for n in range(4)] if args.ports else [free_port() for _ in range(4)]
        ports, lmtp_port, proxy_port = numbers[:2], numbers[2], numbers[3]
        for port in ports:
            processes.start(f"web-{port}", ["web"], {**env, "PORT": str(port)})
        for index in range(2):
            scheduler = {"SCHEDULER": "1" if index == 0 else "0", "LOG_LEVEL": "INFO"}
            processes.start(f"worker-{index + 1}", ["worker"], {**env, **scheduler})
        processes.start("lmtp", ["lmtp"], {**env, "LMTP_PORT": str(lmtp_port)})
        web = [f"http://127.0.0.1:{port}" for port in ports]
        if args.proxy == "nginx":
            config = nginx_config(data_dir / "nginx", proxy_port, ports)
            nginx_args = ["-c", str(config), "-p", str(config.parent), "-e", "stderr", "-g", "daemon off;"]
            processes.start("nginx", nginx_args, env, program=shutil.which("nginx") or "nginx")
        for base in web:
            wait_for(base, lambda base=base: answers(f"{base}/healthz"), processes)  # type: ignore[misc]
        if args.proxy == "nginx":  # the agents go through the proxy, which shares them out
            web = [f"http://127.0.0.1:{proxy_port}"]
            wait_for("nginx", lambda: answers(f"{web[0]}/healthz"), processes)
        wait_for("lmtp", lambda: listens(lmtp_port), processes)
        wait_for("workers", lambda: all("consumer started" in processes.log(f"worker-{i}") for i in (1, 2)), processes)
        logs = [processes.log(f"worker-{i}") for i in (1, 2)]
        schedulers = sum("Periodic tasks are enabled" in log for log in logs)
        print(
            f"ready in {time.monotonic() - started:.0f} s: {args.tickets} tickets seeded, 2 web processes"
            f" ({'behind nginx' if args.proxy == 'nginx' else 'half the agents on each'}), "
            f"2 workers ({schedulers} scheduling the periodic jobs), LMTP on {lmtp_port}; "
            f"{args.agents} agents, {args.rate:g} messages/s over {args.inbound}, {args.duration:g} s",
            flush=True,
        )
        if schedulers != 1:
            raise SystemExit(f"{schedulers} workers schedule the periodic jobs, not 1")
        run_id = os.urandom(4).hex()
        with ThreadPoolExecutor(max_workers=64) as pool:
            ctx = Context(lmtp_port, web, pool)
            cpu.mark("start")
            figures = asyncio.run(load(ctx, agents, to, args, run_id, r, cpu))
            cpu.mark("load end")
        kinds = frozenset().union(*(CHANNELS[name].kinds for name in args.inbound.split(",")))
        drain_start, drained = time.monotonic(), None
        while time.monotonic() - drain_start < args.drain_timeout:
            found = stored_markers(run_id, set(kinds))
            if r.llen(QUEUE_KEY) == 0 and figures.accepted <= set(found):
                drained = time.monotonic() - drain_start
                break
            processes.check_alive()
            cpu.sample()
            time.sleep(1)
        processes.check_alive()
        cpu.mark("drained")
        cpu.close()
        processes.stop()  # then the count: no job moves a message from waiting to applied meanwhile
        status = report(figures, stored_markers(run_id, set(kinds)), waiting_markers(run_id), args, drained)
        report_cpu(cpu, figures, args, drained)
        if status:
            server_errors(processes)
        return status
    finally:
        processes.stop()
        if status:
            print(f"the processes' output is kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
