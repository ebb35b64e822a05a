"""An endpoint that keeps failing is switched off (API-02): every delivery to it has failed for
WEBHOOK_DISABLE_AFTER_DAYS, so its receiver is gone or broken. The administrators are emailed
once, through the outbox, in their own language."""

from __future__ import annotations

import datetime as dt
from email.utils import make_msgid

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from switchboard.intake.actions import do_queue_outbound
from switchboard.intake.outbound import Outbound
from switchboard.tickets.messaging import agent_language
from switchboard.webhooks.models import WebhookEndpoint


def do_disable_failing_endpoints(*, now: dt.datetime | None = None) -> int:
    """Switch off every active endpoint failing since more than the allowed days; how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.WEBHOOK_DISABLE_AFTER_DAYS)
    ids = WebhookEndpoint.objects.filter(active=True, failing_since__lte=cutoff).values_list("pk", flat=True)
    return sum(do_disable_endpoint(pk, cutoff=cutoff, now=now) for pk in list(ids))


@transaction.atomic
def do_disable_endpoint(endpoint_id: int, *, cutoff: dt.datetime, now: dt.datetime) -> bool:
    endpoint = (
        WebhookEndpoint.objects.select_for_update()
        .filter(pk=endpoint_id, active=True, failing_since__lte=cutoff)
        .first()
    )
    if endpoint is None:  # another worker did it, or a delivery went through meanwhile
        return False
    endpoint.active = False
    endpoint.disabled_at = now
    endpoint.save(update_fields=["active", "disabled_at"])  # saved, so the audit log shows it
    _tell_administrators(endpoint)
    return True


def _tell_administrators(endpoint: WebhookEndpoint) -> None:
    link = settings.SITE_URL + reverse("webhook_endpoint", args=[endpoint.pk])
    administrators = User.objects.filter(is_superuser=True, is_active=True).exclude(email="")
    for administrator in administrators.select_related("agent_profile").order_by("pk"):
        with translation.override(agent_language(administrator)):
            subject = _("Webhook switched off: %(endpoint)s") % {"endpoint": endpoint}
            text = _(
                "Every delivery to the webhook endpoint %(url)s has failed since %(since)s (UTC), so it "
                "was switched off and gets no more events. When its receiver works again, switch it on "
                "in the endpoint's settings and retry the failed deliveries from its log:"
            ) % {"url": endpoint.url, "since": f"{endpoint.failing_since:%Y-%m-%d %H:%M}"}
            outbound = Outbound(
                channel="email",
                from_address=settings.DEFAULT_FROM_EMAIL,
                to_address=administrator.email,
                subject=subject,
                text=f"{text}\n\n{link}",
                html="",
                message_id=make_msgid(idstring=f"webhook{endpoint.pk}", domain=settings.MESSAGE_ID_DOMAIN),
                in_reply_to="",
                references=[],
                automatic=True,
            )
            do_queue_outbound(outbound, ticket=None, activity=None)
