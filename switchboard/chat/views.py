"""The live chat's pages: the visitor's chat (framed into any website by the widget script) and
the script itself. The agents' side is the panel every agent page includes (chat/_agent_panel.html)."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt

from switchboard.contacts.sessions import contact_signed_in
from switchboard.tickets.models import Group


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "")[:8]
    return asked if asked in dict(settings.LANGUAGES) else translation.get_language() or settings.LANGUAGE_CODE


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]  # django-csp types views as taking the request only
def visitor_chat(request: HttpRequest, slug: str) -> HttpResponse:
    """The chat as a visitor sees it, in the widget's frame on another site (or on its own)."""
    group = get_object_or_404(Group, slug=slug)
    language = _language(request)
    form_url = f"{reverse('web_form', args=[group.slug])}?lang={language}"  # where to write while nobody can chat
    with translation.override(language):
        context = {
            "group": group,
            "language": language,
            "form_url": form_url,
            "known": contact_signed_in(request.session),  # a contact signed in to the portal, on our own site
        }
        return render(request, "chat/visitor.html", context)


@cache_control(max_age=300)
def widget_script(request: HttpRequest, slug: str) -> HttpResponse:
    """The script a website adds to show the chat button and, on a click, the chat in a frame."""
    group = get_object_or_404(Group, slug=slug)
    language = _language(request)
    with translation.override(language):
        return render(
            request,
            "chat/widget.js",
            {"group": group, "chat_url": request.build_absolute_uri(reverse("visitor_chat", args=[group.slug]))},
            content_type="text/javascript; charset=utf-8",
        )


@xframe_options_exempt
def example_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A website page with the chat on it: what visitors see, and the snippet to copy."""
    group = get_object_or_404(Group, slug=slug)
    script = request.build_absolute_uri(reverse("chat_widget", args=[group.slug]))
    return render(request, "chat/example.html", {"group": group, "script": script})
