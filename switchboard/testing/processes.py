"""Helpers for tests that start real `switchboard` processes."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def switchboard_command() -> str:
    """The `switchboard` console script of the environment running the tests."""
    return str(Path(sys.executable).parent / "switchboard")


def shared_database_url() -> str:
    """DATABASE_URL of the database the current test uses, for a process to share it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until_serving(url: str, processes: dict[Path, subprocess.Popen[bytes]], *, timeout: float = 60) -> None:
    """Return once ``url`` answers. Fail at once if one of ``processes`` (each with the file its
    output goes to) exits, or after ``timeout`` seconds, showing what the processes printed."""

    def output() -> str:
        return "\n".join(f"--- {log.name}:\n{log.read_text(errors='replace')[-5000:]}" for log in processes)

    deadline = time.monotonic() + timeout
    while True:
        for log, process in processes.items():
            if process.poll() is not None:
                raise AssertionError(f"{log.stem} exited ({process.returncode}) before {url} answered\n{output()}")
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 (our own local server)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not answer within {timeout} s\n{output()}") from None
            time.sleep(0.25)


_running: dict[Path, subprocess.Popen[bytes]] = {}
"""The processes ``running`` has started and not yet stopped, each with the file its output goes
to: what a hung browser test waits on."""


@contextmanager
def running(
    commands: dict[str, tuple[list[str], dict[str, str]]], logs: Path
) -> Iterator[dict[Path, subprocess.Popen[bytes]]]:
    """Each named `switchboard` command (its arguments and environment), its output in
    ``logs``/<name>.log; all of them stopped at the end."""
    outputs = {name: (logs / f"{name}.log").open("w") for name in commands}
    processes = {
        logs / f"{name}.log": subprocess.Popen(
            [switchboard_command(), *args], env=env, stdout=outputs[name], stderr=outputs[name]
        )
        for name, (args, env) in commands.items()
    }
    _running.update(processes)
    try:
        yield processes
    finally:
        for log, process in processes.items():
            del _running[log]
            process.terminate()
            process.wait(timeout=20)
        for out in outputs.values():
            out.close()


def servers_stacks_and_logs(*, lines: int = 150) -> str:
    """Every thread's stack of each running server (on SIGUSR1 a `switchboard` server prints them
    to its output: cli.py) and the last ``lines`` of its output."""
    alive = {log: process for log, process in _running.items() if process.poll() is None}
    for process in alive.values():
        process.send_signal(signal.SIGUSR1)
    time.sleep(1)  # for the servers to write their stacks; only when a test has hung
    return "\n".join(
        f"--- {log.name} (pid {process.pid}), its last {lines} lines:\n"
        + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
        for log, process in alive.items()
    )
