"""The REST API (API-01): /api/, its OpenAPI 3 schema at /api/openapi.json, its docs at /api/docs."""

from __future__ import annotations

from django.urls import path
from ninja import NinjaAPI

from switchboard.api import contacts, directory, knowledge, tickets
from switchboard.api.auth import TokenAuth
from switchboard.api.errors import install_error_handlers

api = NinjaAPI(
    title="Switchboard API",
    version="1",
    description=(
        "Tickets, their timelines, contacts, groups, statuses, users and knowledge-base articles. "
        "Send a personal API token (made on your settings page) as `Authorization: Bearer <token>`. "
        "Errors are JSON `{code, message}`."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("", tickets.router)
api.add_router("", contacts.router)
api.add_router("", directory.router)
api.add_router("", knowledge.router)

urlpatterns = [path("", api.urls)]
