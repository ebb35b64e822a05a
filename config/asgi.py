"""ASGI entry point: HTTP through Django, WebSockets through Channels (uvicorn serves both)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from switchboard.chat.routing import websocket_urlpatterns as chat_routes  # noqa: E402
from switchboard.shift.routing import websocket_urlpatterns as shift_routes  # noqa: E402
from switchboard.tickets.routing import websocket_urlpatterns as ticket_routes  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(ticket_routes + chat_routes + shift_routes))
        ),
    }
)
