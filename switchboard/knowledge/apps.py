from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """The knowledge base: articles for customers and agents (SELF-02)."""

    name = "switchboard.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")
