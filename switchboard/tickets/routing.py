from __future__ import annotations

from django.urls import path

from switchboard.tickets.consumers import GroupsConsumer, NoticesConsumer, TeamConsumer, TicketConsumer

websocket_urlpatterns = [
    path("ws/tickets/<int:ticket_id>/", TicketConsumer.as_asgi()),
    path("ws/groups/", GroupsConsumer.as_asgi()),
    path("ws/notices/", NoticesConsumer.as_asgi()),
    path("ws/team/<int:group_id>/", TeamConsumer.as_asgi()),
]
