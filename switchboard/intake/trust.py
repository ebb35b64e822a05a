"""Mail trust: what an inbound message proves about who sent it. A From address proves nothing.

An emailed answer is an agent's (MAIL-06) only when one of these shows it:
- it arrives at the secret reply address that the agent's notifications about the ticket carry
  as Reply-To (a per-agent, per-ticket token), from the agent's address, while the agent is
  active and a member of the ticket's group and the address is not revoked;
- the Authentication-Results headers that our own mail servers added (their authserv-id is in
  TRUSTED_AUTHSERV_IDS) show DKIM passing for the agent's domain, or SPF passing for an
  envelope sender in it.
The same headers tell the autoresponder not to answer mail whose SPF or DMARC check failed.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass

import authres
from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from switchboard.core.rows import insert_row
from switchboard.intake.inbound import Inbound
from switchboard.intake.models import AgentReplyAddress
from switchboard.tickets.models import Membership, Ticket

log = logging.getLogger(__name__)

# "support+r<32 hex digits>@example.org": lower-case hex, as mail servers may lower-case addresses.
REPLY_ADDRESS = re.compile(r"^[^@+]+\+r([0-9a-f]{32})@", re.IGNORECASE)
TOKEN_BYTES = 16  # 128 bits, as secrets.token_urlsafe(16)


def reply_address_for(user: User, ticket: Ticket) -> str:
    """The secret address at which ``user``'s emailed answers on ``ticket`` are known to be
    theirs; made on first use, and made anew after it was revoked."""
    entry = AgentReplyAddress.objects.filter(user=user, ticket=ticket).first()
    if entry is None:  # a ticket new to them (just assigned): one insert; one made meanwhile is kept
        entry = AgentReplyAddress(user=user, ticket=ticket, token=secrets.token_hex(TOKEN_BYTES))
        try:
            with transaction.atomic():
                insert_row(entry)
        except IntegrityError:
            entry = AgentReplyAddress.objects.get(user=user, ticket=ticket)
    if entry.revoked_at is not None:
        entry, _created = AgentReplyAddress.objects.update_or_create(
            user=user, ticket=ticket, defaults={"token": secrets.token_hex(TOKEN_BYTES), "revoked_at": None}
        )
    local, _at, domain = ticket.group.from_address.partition("@")
    return f"{local.split('+', 1)[0]}+r{entry.token}@{domain}"


def do_revoke_reply_addresses(entries: QuerySet[AgentReplyAddress]) -> int:
    """Revoke secret reply addresses (an administrator's action, or the agent left); returns how many."""
    return entries.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def find_ticket_by_reply_address(inbound: Inbound, agent: User) -> Ticket | None:
    """The ticket whose secret reply address of ``agent`` the message was sent to, while that
    address holds: not revoked, the agent active and a member of the ticket's group."""
    addresses = [*inbound.recipients, *(person.address for person in inbound.cc)]
    tokens = [match.group(1).lower() for address in addresses if (match := REPLY_ADDRESS.match(address))]
    if not tokens:
        return None
    entries = AgentReplyAddress.objects.select_related("ticket__group").filter(token__in=tokens, user=agent)
    entry = entries.first()
    if entry is None:
        log.warning("A message from %s went to a reply address that is not theirs", inbound.sender.address)
        return None
    if entry.revoked_at is None and not (
        agent.is_active and Membership.objects.filter(user=agent, group_id=entry.ticket.group_id).exists()
    ):
        do_revoke_reply_addresses(entries.filter(pk=entry.pk))
        entry.revoked_at = timezone.now()
    if entry.revoked_at is not None:
        log.info("A message from %s went to a revoked reply address of ticket #%s", agent, entry.ticket.number)
        return None
    return entry.ticket


@dataclass(frozen=True)
class Authentication:
    """What our own mail servers found when the message arrived."""

    dkim_passed: frozenset[str] = frozenset()  # signing domains (header.d) whose signature passed
    spf_passed: frozenset[str] = frozenset()  # envelope sender domains (smtp.mailfrom) that passed
    spf_failed: bool = False
    dmarc_failed: bool = False

    def proves(self, address: str) -> bool:
        """DKIM or SPF passed for a domain aligned with the domain of ``address``."""
        domain = address.rpartition("@")[2].lower()
        return any(_aligned(passed, domain) for passed in self.dkim_passed | self.spf_passed)


def trusted_authentication(headers: list[str]) -> Authentication:
    """Read the topmost Authentication-Results headers while their authserv-id is trusted: those
    our servers added (a server removes the ones that claim its id on the way in, RFC 8601
    section 5); anything below them the sender may have written. For each method the topmost
    header that reports it counts."""
    trusted = set(settings.TRUSTED_AUTHSERV_IDS)
    results: list[tuple[str, str, dict[str, str]]] = []
    reported: set[str] = set()
    for header in headers:
        try:
            parsed = authres.AuthenticationResultsHeader.parse_value(header)
        except authres.AuthResError:
            break
        if str(parsed.authserv_id).lower() not in trusted:
            break
        methods = {str(result.method).lower() for result in parsed.results}
        for result in parsed.results:
            method = str(result.method).lower()
            if method not in reported:
                properties = {f"{prop.type}.{prop.name}".lower(): str(prop.value) for prop in result.properties}
                results.append((method, str(result.result).lower(), properties))
        reported |= methods
    return Authentication(
        dkim_passed=frozenset(
            _domain(props.get("header.d", ""))
            for method, result, props in results
            if (method, result) == ("dkim", "pass")
        ),
        spf_passed=frozenset(
            _domain(props.get("smtp.mailfrom", ""))
            for method, result, props in results
            if (method, result) == ("spf", "pass")
        ),
        spf_failed=any(method == "spf" and result in {"fail", "softfail"} for method, result, _props in results),
        dmarc_failed=any(method == "dmarc" and result == "fail" for method, result, _props in results),
    )


def _domain(value: str) -> str:
    return value.rpartition("@")[2].strip().rstrip(".").lower()


def _aligned(passed: str, domain: str) -> bool:
    """Relaxed alignment: the same domain, or one a subdomain of the other."""
    return bool(passed) and (passed == domain or domain.endswith("." + passed) or passed.endswith("." + domain))
