from __future__ import annotations

from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "switchboard.contacts"
    label = "contacts"
