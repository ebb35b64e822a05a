"""The README's run command: `switchboard run` on a fresh data folder, twice."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(SWITCHBOARD_DATA_DIR=str(data_dir), PORT=str(port), SWITCHBOARD_DEMO="1")
    command = [str(Path(sys.executable).parent / "switchboard"), "run"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own local server)
        return response.status, response.read().decode()


def wait_until_up(port: int, process: subprocess.Popen[str]) -> None:
    for _ in range(120):
        if process.poll() is not None:
            pytest.fail(f"switchboard run exited early:\n{process.stdout.read() if process.stdout else ''}")
        try:
            get(f"http://127.0.0.1:{port}/healthz")
            return
        except OSError:
            time.sleep(0.25)
    pytest.fail("switchboard run did not answer within 30 s")


def stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)  # Ctrl-C
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    return output


def counts(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "switchboard.sqlite3") as db:
        return {
            table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 (fixed names)
            for table in ["tickets_group", "tickets_ticket", "tickets_activity", "contacts_contact", "auth_user"]
        }


def test_run_serves_login_and_admin_with_demo_data_and_a_second_run_loses_and_duplicates_nothing(tmp_path):
    port = free_port()
    process = start(tmp_path, port)
    wait_until_up(port, process)
    assert get(f"http://127.0.0.1:{port}/login/")[0] == 200
    assert get(f"http://127.0.0.1:{port}/admin/login/")[0] == 200
    output = stop(process)
    password = (tmp_path / "demo-password").read_text().strip()
    assert "sign in as admin" in output and password in output
    first = counts(tmp_path)
    assert first["tickets_group"] == 5 and first["tickets_ticket"] >= 9

    process = start(tmp_path, port)
    wait_until_up(port, process)
    output = stop(process)
    assert counts(tmp_path) == first
    assert password in output, "the admin login is printed on every start"
