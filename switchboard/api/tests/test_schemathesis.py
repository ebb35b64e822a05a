"""The API's own schema, fuzzed (API-01): schemathesis makes requests for every operation from
the OpenAPI document and sends them, in process, with a write token of an agent who has tickets,
contacts, notes and articles; no request may get a server error. Bounded: a few examples per
operation, the whole run well under a minute."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as examples
from schemathesis.checks import not_a_server_error

from switchboard.api.tests.helpers import make_token
from switchboard.knowledge.actions import ArticleText, do_create_article
from switchboard.tickets.actions import do_add_note
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.spec("API-01")

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def wsgi_app_in_the_tests_transaction() -> Iterator[WSGIHandler]:
    """The project's WSGI application, called in process. A real request ends by closing the
    database connection; here the connection holds the test's transaction, so it stays open,
    as Django's own test client keeps it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_generated_request_gets_a_server_error(settings, wsgi_app_in_the_tests_transaction, volunteers, donations):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    agent = make_agent("fuzz", "FZ", groups=[volunteers, donations])
    for n in range(3):
        ticket = make_ticket(volunteers, contact=make_contact("Fuzz", f"Contact{n}"))
        do_add_note(ticket, body=f"Note {n}", acting_user=agent)
    make_ticket(donations)
    do_create_article(ArticleText(title="Hours", body_html="<p>9-5</p>", state="published"), acting_user=agent)
    headers = {"Authorization": f"Bearer {make_token(agent)}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app_in_the_tests_transaction)
    started, operations, answered = time.monotonic(), 0, set()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @examples(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            answered.add(response.status_code)
            case.validate_response(response, checks=[not_a_server_error], headers=headers)

        no_server_error()
    assert operations >= 20  # noqa: PLR2004
    assert {200, 404, 422} <= answered  # the token got in: it was not all 401s
    assert time.monotonic() - started < 120  # noqa: PLR2004
