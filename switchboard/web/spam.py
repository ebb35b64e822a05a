"""The web form's defences against spam, with no outside service (SELF-01): a signed token that
says which group's form was shown and when (so a post too soon after, or long after, is refused),
a field hidden from people, a limit of links in the message, and limits of posts an hour per IP
address and per email address, counted in the database."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from switchboard.core.secrets import keyed_hash
from switchboard.tickets.models import Group
from switchboard.web.models import FormPost

Refusal = FormPost.Refusal

TOKEN_SALT = "switchboard.web.form"  # noqa: S105 (a namespace for the signature, not a secret)
HONEYPOT = "website"  # the field a person never sees, so never fills in; robots fill in every field
# What a reader's mail program or browser makes a link of: a scheme, or a bare "www.".
LINK = re.compile(r"\b(?:https?://|ftp://|www\.)\S", re.IGNORECASE)
# Refusals a robot gets: told nothing that would help it through.
NEUTRAL = frozenset({Refusal.HONEYPOT, Refusal.TOO_FAST, Refusal.FORGED})


def form_token(group: Group) -> str:
    """The token of a form shown now: the group and the time, signed."""
    return signing.dumps({"group": group.pk, "shown": timezone.now().timestamp()}, salt=TOKEN_SALT)


def token_refusal(group: Group, token: str) -> Refusal | None:
    """Why a post's token is not acceptable: missing, forged, another group's, too old, or the
    post came sooner after the form was shown than a person can fill it in."""
    max_age = timedelta(hours=settings.WEB_FORM_MAX_AGE_HOURS)
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return Refusal.EXPIRED
    except signing.BadSignature:
        return Refusal.FORGED
    if not isinstance(data, dict) or data.get("group") != group.pk or not isinstance(data.get("shown"), (int, float)):
        return Refusal.FORGED
    if timezone.now().timestamp() - data["shown"] < settings.WEB_FORM_MIN_SECONDS:
        return Refusal.TOO_FAST
    return None


def count_links(text: str) -> int:
    return len(LINK.findall(text))


def hashed(value: str) -> str:
    """An IP or email address as kept: a hash keyed by the site's secret, so that the same address
    is recognised but not read back."""
    return keyed_hash(value.strip().lower(), purpose="switchboard.web.address") if value else ""


def limit_refusal(post: FormPost) -> Refusal | None:
    """Whether this post, already counted, is past WEB_FORM_LIMIT_PER_HOUR posts within the hour
    from its IP or email address (two indexed counts)."""
    since = timezone.now() - timedelta(hours=1)
    accepted = FormPost.objects.filter(refusal=Refusal.ACCEPTED, created_at__gt=since)
    limit = settings.WEB_FORM_LIMIT_PER_HOUR
    if accepted.filter(ip_hash=post.ip_hash).count() > limit:
        return Refusal.IP_LIMIT
    if accepted.filter(address_hash=post.address_hash).count() > limit:
        return Refusal.ADDRESS_LIMIT
    return None
