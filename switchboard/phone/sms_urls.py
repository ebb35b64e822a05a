"""SMS and click-to-call: the provider's webhooks (under /phone/) and the ticket's actions."""

from __future__ import annotations

from django.urls import path

from switchboard.phone import agent_views, sms_webhooks

urlpatterns = [
    path("sms/", sms_webhooks.sms, name="phone_sms"),
    path("sms/status/", sms_webhooks.sms_status, name="sms_status"),
    path("call/connect/", sms_webhooks.call_connect, name="call_connect"),
    path("call/status/", sms_webhooks.call_status, name="call_status"),
    path("tickets/<int:number>/sms/", agent_views.send_sms, name="send_sms"),
    path("tickets/<int:number>/call/", agent_views.call_contact, name="call_contact"),
]
