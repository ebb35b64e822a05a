"""Query plans of what a page runs: a query-count test cannot see a slow query, its plan can.

    with captured_statements() as statements:
        client.get(url)
    assert full_scans(statements) == []

``full_scans`` asks the database how it would run each statement (SQLite: ``EXPLAIN QUERY
PLAN``; PostgreSQL: ``EXPLAIN (FORMAT JSON)``) and names every step that reads a large table
whole:

- SQLite: ``SCAN <table>`` (with or without an index: an index read from end to end is still
  every row), except an ordered index read that a ``LIMIT`` stops; and a ``SEARCH`` whose index
  columns have so few distinct values in the data that each one matches a quarter of the table
  or more (``kind=?`` on a table of emails and phone numbers: half of it). SQLite keeps no
  statistics unless ANALYZE is run (Switchboard does not), so its plans depend on the schema and
  the query, not on the data: what the test sees is what 100k tickets get.
- PostgreSQL: a ``Seq Scan`` of a large table with sequential scans disabled (so that a small
  test table does not make the planner prefer one where an index would serve), and hash and
  merge joins too: each reads one side whole, which on a test's table of 1,500 tickets costs
  the planner less than looking up even a few dozen rows by their key, and more once the table
  holds what earlier tests rolled back (its plan then changed with the tests run before it);
  a large table's plan looks a few rows up. Where a join has no index to look rows up by, a
  side is still read whole and named. Outside a
  ``Limit``, an index read without an index condition (the whole index) and one that the
  planner expects to return a quarter of the table or more (both judged from the statistics
  of ANALYZE, on tables of ``MIN_JUDGED_ROWS`` or more).

Every table counts as large except the few named in ``SMALL_TABLES`` (a handful of rows per
group or agent, read whole on purpose).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction

# Tables with a few rows per group or agent, or lists an administrator keeps (the mailboxes, the
# blocked senders, which the intake reads whole once per batch; the webhook endpoints, whose
# subscriptions a change reads once per transaction): reading them whole is the cheapest plan.
SMALL_TABLES = frozenset(
    {
        "auth_user",
        "django_content_type",
        "intake_blockedsender",
        "mail_mailbox",
        "phone_menuentry",
        "phone_phonenumber",
        "tickets_agentprofile",
        "tickets_cannedresponse",
        "tickets_group",
        "tickets_membership",
        "tickets_messagetemplate",
        "tickets_status",
        "webhooks_webhookendpoint",
    }
)

# Partial indexes that only ever hold a handful of rows, whatever the table's size: reading one
# whole is reading those few (the banners up now, not the years of cleared ones).
SMALL_PARTIAL_INDEXES = frozenset({"broadcast_active"})

# A SEARCH whose index key matches this share of the table on average reads it as good as whole.
WIDE_SEARCH_SHARE = 0.25
# Below this many rows a table's keys say nothing about its selectivity (a test's one session).
MIN_JUDGED_ROWS = 500


def seed_for_plans(*, tickets: int = 1500, seed: int = 19) -> None:
    """Benchmark data (``switchboard seed-bench``) enough for the plans to mean something: on
    PostgreSQL, statistics too (ANALYZE), as a database in use has them."""
    out = io.StringIO()
    call_command("seed_bench", tickets=tickets, groups=10, agents=20, seed=seed, stdout=out, stderr=out)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Sequence[Any] | None


@contextmanager
def captured_statements() -> Iterator[list[Statement]]:
    """The statements run on the default connection inside the block, with their parameters
    (CaptureQueriesContext keeps only the SQL with the values written in)."""
    statements: list[Statement] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:  # noqa: FBT001 - Django's signature
        if not many:
            statements.append(Statement(sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def full_scans(statements: Sequence[Statement], *, small_tables: frozenset[str] = SMALL_TABLES) -> list[str]:
    """Every full read of a large table in the plans of ``statements``, as "step — SQL"."""
    explain = _sqlite_scans if connection.vendor == "sqlite" else _postgresql_scans
    found: list[str] = []
    for statement in statements:
        if not re.match(r"\s*(SELECT|UPDATE|DELETE|WITH)\b", statement.sql, re.IGNORECASE):
            continue
        found.extend(f"{step} — {statement.sql}" for step in explain(statement, small_tables))
    return found


def plan_of(statement: Statement) -> Any:
    """The database's plan of one statement: SQLite's rows of EXPLAIN QUERY PLAN, PostgreSQL's
    JSON plan (with sequential scans, hash and merge joins disabled)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {statement.sql}", statement.params)
            return cursor.fetchall()
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_hashjoin = off")  # see the module's docstring
            cursor.execute("SET LOCAL enable_mergejoin = off")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {statement.sql}", statement.params)
            plan = cursor.fetchone()[0]
        return plan[0]["Plan"] if isinstance(plan, list) else plan


_SQLITE_STEP = re.compile(r"^(?P<op>SCAN|SEARCH) (?P<table>\S+)(?: AS \S+)?(?P<rest>.*)$")


def _sqlite_scans(statement: Statement, small_tables: frozenset[str]) -> Iterator[str]:
    limited = re.search(r"\bLIMIT\b", statement.sql, re.IGNORECASE) is not None
    for _id, _parent, _unused, detail in plan_of(statement):
        step = _SQLITE_STEP.match(detail)
        if step is None or step["table"] == "CONSTANT":
            continue
        rest = step["rest"]
        index = re.search(r" USING (?:COVERING )?INDEX (\S+)", rest)
        if index and index[1] in SMALL_PARTIAL_INDEXES:
            continue
        table = _sqlite_table_of(index[1]) if index else _sqlite_table_named(step["table"], statement.sql)
        if table in small_tables or table.startswith("(") or not _sqlite_is_stored(table):
            continue  # a subquery's rows (FROM (…) AS name): its own steps are judged
        if " VIRTUAL TABLE INDEX " in rest:  # full-text search: a MATCH (M) is a lookup
            if not re.search(r"INDEX \d+:\S*M", rest):
                yield f"{detail} (table {table})"
            continue
        if step["op"] == "SCAN":
            if index and limited:
                continue  # an ordered read that the LIMIT stops
            yield f"{detail} (table {table})"
        elif index and (key := re.search(r"\((.*?)\)", rest)):
            if (share := _sqlite_key_share(table, key[1])) >= WIDE_SEARCH_SHARE:
                yield f"{detail} (table {table}: each key matches {share:.0%} of it)"


def _sqlite_is_stored(name: str) -> bool:
    """Whether ``name`` is a table or view of the database, not a subquery's alias."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = %s", [name])
        return cursor.fetchone() is not None


def _sqlite_table_of(index: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = %s", [index])
        row = cursor.fetchone()
    return str(row[0]) if row else index


def _sqlite_table_named(name: str, sql: str) -> str:
    """A table named in a plan by Django's subquery alias ("tickets_ticket" U0) back to its
    name; an alias used for several tables stays as it is, and so counts as large."""
    tables = set(re.findall(rf'"(\w+)" {re.escape(name)}\b', sql))
    return tables.pop() if len(tables) == 1 else name


def _sqlite_key_share(table: str, key: str) -> float:
    """The share of ``table`` that one value of the equality columns of ``key`` ("kind=? AND
    value>?") matches on average in the data (a value, not NULL: ``=`` never matches NULL). A
    column bounded on both sides ("value>? AND value<?", the range of a prefix: the global
    search's phone numbers and addresses) narrows the key to that range: not judged."""
    conditions = re.findall(r"(\w+)(>=|<=|=|>|<)\?", key)
    lower = {name for name, op in conditions if op in {">", ">="}}
    if lower & {name for name, op in conditions if op in {"<", "<="}}:
        return 0.0
    columns = [name for name, op in conditions if op == "=" and name != "rowid"]
    if not columns:
        return 0.0
    quoted = ", ".join(f'"{column}"' for column in columns)
    present = " AND ".join(f'"{column}" IS NOT NULL' for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT (SELECT COUNT(*) FROM "{table}"), COUNT(*), SUM(matches)'  # noqa: S608 - names from the plan
            f' FROM (SELECT COUNT(*) AS matches FROM "{table}" WHERE {present} GROUP BY {quoted})'
        )
        rows, keys, matched = cursor.fetchone()
    if rows < MIN_JUDGED_ROWS or not keys:
        return 0.0
    return float(matched / keys / rows)


def _postgresql_scans(statement: Statement, small_tables: frozenset[str]) -> Iterator[str]:
    def walk(node: dict[str, Any], *, limited: bool) -> Iterator[str]:
        kind, table = node["Node Type"], node.get("Relation Name")
        if table and table not in small_tables:
            if kind == "Seq Scan":
                yield f"Seq Scan on {table}"
            elif kind in {"Index Scan", "Index Only Scan", "Bitmap Heap Scan"} and not limited:
                # The planner reads a table it knows to be (nearly) empty whole, rightly.
                if (rows := _postgresql_rows(table)) >= MIN_JUDGED_ROWS:
                    if kind != "Bitmap Heap Scan" and "Index Cond" not in node:
                        yield f"{kind} using {node['Index Name']} on {table}, the whole index"
                    elif (share := node["Plan Rows"] / rows) >= WIDE_SEARCH_SHARE:
                        yield f"{kind} on {table} reading {share:.0%} of it"
        limited = limited or kind == "Limit"
        for child in node.get("Plans", []):
            yield from walk(child, limited=limited)

    yield from walk(plan_of(statement), limited=False)


def _postgresql_rows(table: str) -> float:
    """The table's rows as the planner knows them (after ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return float(cursor.fetchone()[0])
