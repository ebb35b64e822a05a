"""A group's categories (ROUTE-06): what a question is about, chosen by the contact on the web
form or by an agent; the agents assigned to a category hear of its new tickets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.tickets.models.groups import Group


class Category(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="categories", verbose_name=_("group"))
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="ticket_categories",
        verbose_name=_("agents"),
        help_text=_("They are emailed about each new ticket in the category."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["group", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="category_unique_name")]

    def __str__(self) -> str:
        return self.name
