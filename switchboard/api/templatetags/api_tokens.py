"""The API tokens section the personal settings page shows (``{% api_tokens_section %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from switchboard.api.forms import ApiTokenForm
from switchboard.api.tokens import list_api_tokens

register = template.Library()


@register.inclusion_tag("api/_token_section.html", takes_context=True)
def api_tokens_section(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    return {
        "tokens": list(list_api_tokens(request.user)),
        "form": ApiTokenForm(),
        "csrf_token": context.get("csrf_token"),
    }
