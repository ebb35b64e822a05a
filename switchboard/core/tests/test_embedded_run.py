"""The README's run command: `switchboard run` on a fresh data folder, then again on it. A first
start migrates a new database, by far its slowest part: the module's runs share one folder, its
first start made by a service manager without the demo, the demo asked for at the next."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from switchboard.testing.processes import free_port, shared_database_url, switchboard_command

KEY = "6kFlYCPk9XvM0h3pRhKb7ZtqVqHk5b4JcM8hWmWJ1Ek="  # a Fernet key
DERIVED_KEYS_WARNING = "ENCRYPTION_KEYS is not set"


def start(data_dir: Path, port: int, *, demo: str | None = "1", **extra_env: str) -> subprocess.Popen[str]:
    """`switchboard run` as a service manager starts it: no terminal on its input."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SWITCHBOARD_DEMO", "SECRET_KEY", "ENCRYPTION_KEYS"}
    }
    env.update(SWITCHBOARD_DATA_DIR=str(data_dir), PORT=str(port))
    if demo is not None:
        env["SWITCHBOARD_DEMO"] = demo
    env.update(extra_env)
    return subprocess.Popen(
        [switchboard_command(), "run"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own local server)
        return response.status, response.read().decode()


# A first start migrates a new database and makes the demo data: seconds on a quiet machine,
# over 30 s on one as busy as a shared CI host can be. The bound only stops a start that hangs.
START_BOUND_SECONDS = 120


def wait_until_up(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_BOUND_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"switchboard run exited early:\n{process.stdout.read() if process.stdout else ''}")
        try:
            get(f"http://127.0.0.1:{port}/healthz")
            return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"switchboard run did not answer within {START_BOUND_SECONDS} s")


def stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)  # Ctrl-C
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    return output


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the login form; returns the Cookie header of the session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"http://127.0.0.1:{port}/login/"
    opener.open(login, timeout=5).read()
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": csrf})
    request = urllib.request.Request(login, data=form.encode(), headers={"Referer": login})
    page = opener.open(request, timeout=5).read().decode()
    assert "Volunteers" in page, "signed in, the home page lists the groups"
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def ticket_socket_opens(port: int, cookie: str) -> bool:
    headers = {"Cookie": cookie} if cookie else {}
    try:
        with connect(
            f"ws://127.0.0.1:{port}/ws/tickets/1/",
            origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
            additional_headers=headers,
            open_timeout=5,
        ):
            return True
    except InvalidStatus:
        return False


def counts(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "switchboard.sqlite3") as db:
        return {
            table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 (fixed names)
            for table in ["tickets_group", "tickets_ticket", "tickets_activity", "contacts_contact", "auth_user"]
        }


@dataclass(frozen=True)
class FirstRun:
    data_dir: Path
    output: str
    counts: dict[str, int]
    demo_password_kept: bool


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> FirstRun:
    """`switchboard run` on a fresh data folder as a service manager starts it (no terminal, no
    SWITCHBOARD_DEMO, no ENCRYPTION_KEYS), stopped; what it left, read before later runs use the
    folder."""
    data_dir = tmp_path_factory.mktemp("run")
    port = free_port()
    process = start(data_dir, port, demo=None)
    wait_until_up(port, process)
    output = stop(process)
    return FirstRun(data_dir, output, counts(data_dir), (data_dir / "demo-password").exists())


def test_run_without_a_terminal_makes_no_demo_data_unless_asked(first_run):
    assert first_run.counts == {
        "tickets_group": 0,
        "tickets_ticket": 0,
        "tickets_activity": 0,
        "contacts_contact": 0,
        "auth_user": 0,
    }, "no superuser `admin` with a known password on a server started by a service manager"
    assert not first_run.demo_password_kept
    assert "password for all of them" not in first_run.output
    assert "SWITCHBOARD_DEMO=1" in first_run.output, "the log says how to ask for the demo"
    assert first_run.output.count(DERIVED_KEYS_WARNING) == 1, "one line says that the keys are derived from SECRET_KEY"


def test_run_serves_login_and_admin_with_demo_data_and_a_second_run_loses_and_duplicates_nothing(first_run):
    """The demo asked for on an installation with no groups yet (the first run's), then a run
    that does not ask."""
    data_dir = first_run.data_dir
    port = free_port()
    process = start(data_dir, port, ENCRYPTION_KEYS=KEY)
    wait_until_up(port, process)
    assert get(f"http://127.0.0.1:{port}/login/")[0] == 200
    assert get(f"http://127.0.0.1:{port}/admin/login/")[0] == 200
    password = (data_dir / "demo-password").read_text().strip()
    # The same process serves WebSockets, to signed-in agents only.
    assert ticket_socket_opens(port, sign_in(port, "admin", password))
    assert not ticket_socket_opens(port, "")
    output = stop(process)
    assert "sign in as admin" in output and password in output
    assert DERIVED_KEYS_WARNING not in output, "ENCRYPTION_KEYS is set"
    first = counts(data_dir)
    assert first["tickets_group"] == 6 and first["tickets_ticket"] >= 9  # the food bank and its campaign

    process = start(data_dir, port)
    wait_until_up(port, process)
    output = stop(process)
    second = counts(data_dir)
    # Nothing made twice nor lost. Jobs the demo queued that a busy machine had not run when the
    # first run stopped are kept and run now: they may add to timelines (a text's routing).
    activities = first.pop("tickets_activity"), second.pop("tickets_activity")
    assert second == first and activities[0] <= activities[1] <= activities[0] + 5
    assert password not in output, "the demo password is printed only when the demo is made"
    assert str(data_dir / "demo-password") in output, "a later start says where the password is kept"


@pytest.mark.django_db(transaction=True)
def test_the_scaled_web_process_serves_pages_from_the_configured_database(alice_agent, settings):
    settings.PASSWORD_HASHERS = ["switchboard.core.hashers.PBKDF2PasswordHasher"]  # as the process has
    alice_agent.set_password("pw-alice")
    alice_agent.save()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": shared_database_url(), "PORT": str(port), "WEB_CONCURRENCY": "1"}
    process = subprocess.Popen(
        [switchboard_command(), "web"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        wait_until_up(port, process)
        assert get(f"http://127.0.0.1:{port}/login/")[0] == 200
        sign_in(port, "alice", "pw-alice")  # alice exists only in this test's database
    finally:
        stop(process)
