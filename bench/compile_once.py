"""How much of a page's CPU is Django compiling its queries to SQL: an experiment, not a cache.

    DATABASE_URL=postgres://… .venv/bin/python bench/compile_once.py [--runs 20] [--rounds 4]

Requests the ticket page and the open-tickets list as ``bench/pages.py`` does (the same agent,
group and ticket), alternating two ways: as the project runs, and with Django's compiler
(``SQLCompiler.as_sql``) answering from what it wrote for the same query of the previous request
(the n-th compiled query of a request, its SQL and parameters, and what the compiler keeps for
reading the rows). The same request repeated asks the same queries with the same values (a page
whose values changed is reported: "same page: no"), so the difference is the CPU a cache of
compiled SQL could save at most; building the querysets still runs. Prints the median CPU time
of this process per page each way and whether the page came out the same (its CSRF tokens aside).

Not a way to run the project: the memo is keyed by a query's place in the request, which holds
only for a request repeated with the same data.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

import pages  # bench/pages.py: Django set up, the busiest agent and ticket
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client

# What ModelIterable reads from the compiler after as_sql (Django 5.2).
_READ_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")


class CompileOnce:
    """SQLCompiler.as_sql memoised by the query's place in the request while ``on``."""

    def __init__(self) -> None:
        self.on = False
        self.place = 0
        self.memo: dict[tuple[Any, ...], tuple[Any, dict[str, Any], int]] = {}
        self.compile: Callable[..., Any] = SQLCompiler.as_sql

    def install(self) -> None:
        memo = self

        def as_sql(compiler: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
            if not memo.on or type(compiler).__name__ != "SQLCompiler":  # selects only
                return memo.compile(compiler, *args, **kwargs)
            memo.place += 1
            key = (memo.place, args, tuple(sorted(kwargs.items())))
            if key not in memo.memo:
                before = memo.place
                result = memo.compile(compiler, *args, **kwargs)
                state = {name: getattr(compiler, name, None) for name in _READ_STATE}
                memo.memo[key] = (result, state, memo.place - before)  # with its subqueries' places
                return result
            result, state, nested = memo.memo[key]
            memo.place += nested
            for name, value in state.items():
                setattr(compiler, name, value)
            return result

        SQLCompiler.as_sql = as_sql  # type: ignore[method-assign, assignment]


def page_cpu(client: Client, url: str, memo: CompileOnce, runs: int) -> tuple[float, bytes]:
    cpu = []
    for _ in range(runs):
        memo.place = 0
        started = time.process_time()
        response = client.get(url)
        cpu.append((time.process_time() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(cpu), re.sub(rb'value="[A-Za-z0-9]{64}"', b"", response.content)  # CSRF tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    scene = pages.scene()
    client = Client()
    client.force_login(scene.agent)
    memo = CompileOnce()
    memo.install()
    urls = {"open tickets": f"/groups/{scene.group.slug}/"}
    if scene.ticket is not None:
        urls["ticket"] = f"/tickets/{scene.ticket.number}/"
    print(f"{'page':<14}{'round':>6}{'compiled each time':>20}{'compiled once':>15}{'change':>8}  same page")
    for name, url in urls.items():
        memo.on = False
        page_cpu(client, url, memo, 3)  # warm
        for round_ in range(1, args.rounds + 1):
            memo.on, memo.memo = False, {}
            each, page = page_cpu(client, url, memo, args.runs)
            memo.on = True
            page_cpu(client, url, memo, 1)  # compiles and keeps
            once, page_once = page_cpu(client, url, memo, args.runs)
            same = "yes" if page == page_once else "no"
            print(f"{name:<14}{round_:>6}{each:>17.1f} ms{once:>12.1f} ms{(once - each) / each:>+8.0%}  {same}")


if __name__ == "__main__":
    main()
