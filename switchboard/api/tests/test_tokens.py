"""Personal API tokens (API-01): made on the settings page, shown once, kept only as a hash,
scoped, expiring, revocable, and limited per minute."""

from __future__ import annotations

import datetime as dt
import hashlib
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from switchboard.api.models import ApiToken
from switchboard.api.tests.helpers import call, make_token
from switchboard.api.tokens import do_revoke_api_token
from switchboard.audit.models import AuditEntry

pytestmark = pytest.mark.spec("API-01")


def test_a_token_made_on_the_settings_page_is_shown_once_and_only_its_hash_is_kept(client, alice_agent):
    client.force_login(alice_agent)
    page = client.get(reverse("agent_settings")).content.decode()
    assert "API tokens" in page and 'href="/api/docs"' in page
    made = client.post(reverse("api_token_create"), {"name": "CRM sync", "scope": "write", "expires_in_days": "30"})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    plain = made.context["plain"]
    assert plain.startswith("sb_") and plain in made.content.decode()
    token = ApiToken.objects.get(user=alice_agent)
    assert token.secret_hash == hashlib.sha256(plain.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert not any(plain in value or plain.split("_")[-1] in value for value in stored)
    assert token.expires_at is not None and token.expires_at - timezone.now() > dt.timedelta(days=29)
    again = client.get(reverse("agent_settings")).content.decode()
    assert "CRM sync" in again and plain not in again and f"sb_{token.prefix}_" in again
    assert call(client, "GET", "/api/users/me", plain).json()["username"] == "alice"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused_and_only_its_owner_revokes_it(client, alice_agent, bob_agent):
    plain = make_token(alice_agent)
    token = ApiToken.objects.get(user=alice_agent)
    client.force_login(bob_agent)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert call(client, "GET", "/api/users/me", plain).status_code == 200
    client.force_login(alice_agent)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    refused = call(client, "GET", "/api/users/me", plain)
    assert refused.status_code == 401 and refused.json()["code"] == "token_revoked"
    assert "Revoked" in client.get(reverse("agent_settings")).content.decode()


class DescribedBy(HTMLParser):
    """The text of each element a page's ``aria-describedby`` names, by the describing box's id."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, list[str]] = {}
        self.texts: dict[str, str] = {}
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("aria-describedby"):
            self.names[found["id"] or ""] = (found["aria-describedby"] or "").split()
        if tag == "div":
            self.open.append(found.get("id") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for element in self.open:
            if element:
                self.texts[element] = self.texts.get(element, "") + data


def test_a_refused_token_form_says_why_beside_the_box_which_names_its_hint_and_error(client, alice_agent):
    client.force_login(alice_agent)
    refused = client.post(reverse("api_token_create"), {"name": "", "scope": "read", "expires_in_days": "30"})
    assert refused.status_code == 400 and not ApiToken.objects.exists()
    page = DescribedBy()
    page.feed(refused.content.decode())
    said = [page.texts.get(element, "").strip() for element in page.names["id_name"]]
    assert said == ["What the token is for, such as “CRM sync”.", "This field is required."]


@pytest.mark.spec("ADMIN-03")
def test_making_and_revoking_a_token_is_in_the_audit_log_without_its_hash(client, alice_agent):
    client.force_login(alice_agent)
    made = client.post(reverse("api_token_create"), {"name": "CRM sync", "scope": "read", "expires_in_days": "30"})
    token = ApiToken.objects.get(user=alice_agent)
    assert call(client, "GET", "/api/users/me", made.context["plain"]).status_code == 200  # a use is no change
    client.post(reverse("api_token_revoke", args=[token.pk]))
    logged = list(AuditEntry.objects.filter(object_type="api.apitoken").order_by("id"))
    assert [entry.action for entry in logged] == ["create", "change"]
    values = {change["field"]: change["new"] for change in logged[0].changes}
    assert values["name"] == "CRM sync" and values["scope"] == "read"
    assert token.secret_hash not in str(logged[0].changes)
    assert [change["field"] for change in logged[1].changes] == ["revoked_at"]
    assert all(entry.actor_name == "alice" for entry in logged)


def test_missing_wrong_and_expired_tokens_are_refused_with_401(client, alice_agent):
    plain = make_token(alice_agent, days=30)
    missing = call(client, "GET", "/api/tickets", None)
    assert missing.status_code == 401 and missing.json()["code"] == "not_authenticated"
    assert missing["WWW-Authenticate"].startswith("Bearer")
    wrong = call(client, "GET", "/api/tickets", plain[:-2] + "xx")
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_token"
    client.force_login(alice_agent)  # a signed-in browser is not a token
    assert call(client, "GET", "/api/tickets", None).status_code == 401
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        expired = call(client, "GET", "/api/tickets", plain)
    assert expired.status_code == 401 and expired.json() == {
        "code": "token_expired",
        "message": "This API token has expired.",
    }


def test_a_token_of_a_deactivated_user_is_refused(client, alice_agent):
    plain = make_token(alice_agent)
    alice_agent.is_active = False
    alice_agent.save()
    assert call(client, "GET", "/api/users/me", plain).status_code == 401


def test_the_rate_limit_counts_per_token_and_says_when_to_come_back(client, settings, alice_agent, bob_agent):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    alices, bobs = make_token(alice_agent), make_token(bob_agent)
    start = timezone.now().replace(second=10, microsecond=0) + dt.timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        assert [call(client, "GET", "/api/groups", alices).status_code for _ in range(2)] == [200, 200]
        limited = call(client, "GET", "/api/groups", alices)
        assert limited.status_code == 429 and limited["Retry-After"] == "50"
        assert limited.json()["code"] == "rate_limited"
        assert call(client, "GET", "/api/groups", bobs).status_code == 200  # another token: its own count
    with time_machine.travel(start + dt.timedelta(seconds=50), tick=False):
        assert call(client, "GET", "/api/groups", alices).status_code == 200


def test_revoking_is_for_the_owner_only_in_the_action_too(alice_agent, bob_agent):
    make_token(alice_agent)
    token = ApiToken.objects.get(user=alice_agent)
    with pytest.raises(ApiToken.DoesNotExist):
        do_revoke_api_token(token, acting_user=bob_agent)


def test_the_schema_and_its_documentation_are_served(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.") and "/api/tickets/{number}" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_a_program_writes_with_its_token_and_no_csrf_cookie(alice_agent, volunteers):
    from django.test import Client

    from switchboard.tickets.tests.factories import make_ticket

    ticket = make_ticket(volunteers)
    strict = Client(enforce_csrf_checks=True)
    answer = call(
        strict, "POST", f"/api/tickets/{ticket.number}/notes", make_token(alice_agent), {"body": "From the CRM"}
    )
    assert answer.status_code == 201


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_rate_limit_holds_when_many_requests_come_at_once(settings, alice_agent):
    """Several web processes count on the token's row together: of 16 requests at the same
    moment (each on its own connection), exactly the limit's number get through. A count read
    and then written back would let more through."""
    import threading

    from django.db import connection

    from switchboard.api.tokens import count_request

    settings.API_RATE_LIMIT_PER_MINUTE = 5
    make_token(alice_agent)
    token = ApiToken.objects.get(user=alice_agent)
    start = threading.Barrier(16)
    waits: list[int] = []

    def request() -> None:
        try:
            start.wait()
            waits.append(count_request(token))
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(16)]
    moment = timezone.now().replace(second=10) + dt.timedelta(minutes=1)  # all within one minute
    with time_machine.travel(moment, tick=False):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(waits) == 16 and waits.count(0) == 5  # noqa: PLR2004
    token.refresh_from_db()
    assert token.window_count == 5  # noqa: PLR2004
