from __future__ import annotations

from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "switchboard.contacts"
    label = "contacts"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from switchboard.contacts.models import ContactPoint
        from switchboard.contacts.search import reindex_point_contact

        # A point saved or deleted one at a time (the admin, a contact page) remakes its contact's words.
        post_save.connect(reindex_point_contact, sender=ContactPoint, dispatch_uid="contacts.reindex_point_saved")
        post_delete.connect(reindex_point_contact, sender=ContactPoint, dispatch_uid="contacts.reindex_point_deleted")
