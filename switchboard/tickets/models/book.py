"""The agent's contact book (AGENT-03): the people an agent needs to reach (a supplier, a partner,
a colleague elsewhere), apart from the contacts who write in. An entry is private to the agent who
made it, or shared with one of their groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.core.models import TimeStampedModel


class BookEntry(TimeStampedModel):
    """One person or office in the contact book. ``group`` empty: only ``owner`` sees it; set:
    the group's members see it, and its managers and the owner edit it (contact_book.py)."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phones = models.JSONField(
        _("phone numbers"), default=list, blank=True, help_text="E.164, as normalise_phone gives."
    )
    emails = models.JSONField(_("email addresses"), default=list, blank=True, help_text="Lower case.")
    notes = models.TextField(_("notes"), blank=True)
    # A shared entry stays the group's when its author's account is deleted.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="book_entries"
    )
    group = models.ForeignKey(
        "Group", on_delete=models.CASCADE, null=True, blank=True, related_name="book_entries", verbose_name=_("group")
    )
    # The words the search looks for, folded as contacts' are (contacts/search.py search_text_of).
    search_text = models.TextField(default="", editable=False)

    class Meta:
        verbose_name = _("contact book entry")
        verbose_name_plural = _("contact book entries")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_private(self) -> bool:
        return self.group_id is None
