"""The autoresponder's limits (MAIL-08, mail trust): a forged From must not turn the group's
acknowledgement of a new ticket into mail to third parties. Within any hour at most
AUTORESPONSE_LIMIT go to one address, AUTORESPONSE_LIMIT_PER_DOMAIN to one domain and
AUTORESPONSE_LIMIT_GLOBAL in all; none goes to mail whose SPF or DMARC check failed at our own
mail server (its Authentication-Results, see trust.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from switchboard.intake.models import OutboundMessage
from switchboard.intake.trust import Authentication


def _last_hour() -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(automatic=True, created_at__gte=timezone.now() - dt.timedelta(hours=1))


def why_no_autoresponse(address: str, authentication: Authentication) -> str:
    """Why no acknowledgement may go to ``address`` now, for the log; "" when it may."""
    if authentication.spf_failed or authentication.dmarc_failed:
        return "our mail server found the sender forged (SPF or DMARC failed)"
    domain = address.rpartition("@")[2]
    recent = _last_hour().aggregate(  # one statement for the three counts
        everyone=Count("pk"),
        domain=Count("pk", filter=Q(to_address__iendswith=f"@{domain}")),
        address=Count("pk", filter=Q(to_address=address)),
    )
    if recent["everyone"] >= settings.AUTORESPONSE_LIMIT_GLOBAL:
        return f"{settings.AUTORESPONSE_LIMIT_GLOBAL} autoresponses within an hour in all"
    if recent["domain"] >= settings.AUTORESPONSE_LIMIT_PER_DOMAIN:
        return f"{settings.AUTORESPONSE_LIMIT_PER_DOMAIN} autoresponses within an hour to {domain}"
    if recent["address"] >= settings.AUTORESPONSE_LIMIT:
        return f"{settings.AUTORESPONSE_LIMIT} autoresponses within an hour to this address"
    return ""


@dataclass(frozen=True)
class AutoresponseFigures:
    """The autoresponder's last hour against its limits, for administrators."""

    sent: int
    limit_global: int
    limit_per_domain: int
    limit_per_address: int
    busiest_domains: list[tuple[str, int]]  # (domain, autoresponses), most first


def autoresponse_figures(*, domains: int = 5) -> AutoresponseFigures:
    addresses = list(_last_hour().values_list("to_address", flat=True)[: settings.AUTORESPONSE_LIMIT_GLOBAL * 2])
    by_domain = Counter(address.rpartition("@")[2].lower() for address in addresses)
    return AutoresponseFigures(
        sent=_last_hour().count(),
        limit_global=settings.AUTORESPONSE_LIMIT_GLOBAL,
        limit_per_domain=settings.AUTORESPONSE_LIMIT_PER_DOMAIN,
        limit_per_address=settings.AUTORESPONSE_LIMIT,
        busiest_domains=by_domain.most_common(domains),
    )
