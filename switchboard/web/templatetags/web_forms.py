"""The snippets a group's managers copy to put its web form on their website (SELF-01)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django import template
from django.conf import settings
from django.urls import reverse

from switchboard.tickets.models import Group

register = template.Library()


@dataclass(frozen=True)
class Snippets:
    page: str  # the form's own page, to link to
    script: str  # a frame as tall as the form
    iframe: str  # a frame of fixed height, for sites that take no scripts


@register.simple_tag
def embed_snippets(group: Group) -> Snippets:
    page = settings.SITE_URL + reverse("web_form", args=[group.slug])
    script = settings.SITE_URL + reverse("web_form_embed", args=[group.slug])
    # Plain text, escaped as HTML once more where the page shows it: the snippets are to read and copy.
    return Snippets(
        page=page,
        script=f'<script src="{escape(script)}" async></script>',
        iframe=f'<iframe src="{escape(page)}?embed=1" title="{escape(group.name)}" width="100%" height="900" '
        'style="border:0"></iframe>',
    )
