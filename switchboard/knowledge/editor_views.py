"""The agents' side of the knowledge base (SELF-02): the list of every article, the editor (new,
edit, from a resolved ticket) and deletion. Who may do what: knowledge/access.py."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.core.html import html_to_text
from switchboard.core.http import AgentRequest
from switchboard.knowledge.access import can_delete_articles, can_write_articles
from switchboard.knowledge.actions import (
    KnowledgeError,
    do_add_article_image,
    do_create_article,
    do_delete_article,
    do_update_article,
)
from switchboard.knowledge.forms import ArticleForm, initial_of
from switchboard.knowledge.models import Article
from switchboard.knowledge.publishing import Prefill, personal_data_warnings, prefill_from_ticket
from switchboard.knowledge.selectors import list_articles_for_agents
from switchboard.tickets.models import Ticket
from switchboard.tickets.placeholders import PLACEHOLDER_JS
from switchboard.tickets.selectors import get_ticket_for

LISTED = 200


def _writer(request: AgentRequest) -> None:
    if not can_write_articles(request.user):
        raise PermissionDenied(_("Only agents write articles."))


@login_required
def articles(request: AgentRequest) -> HttpResponse:
    _writer(request)
    query = request.GET.get("q", "").strip()[:200]
    state = request.GET.get("state", "")
    state = state if state in Article.State.values else ""
    found = list_articles_for_agents(query=query, state=state, limit=LISTED)
    context = {"articles": found, "q": query, "state": state, "states": Article.State.choices}
    return render(request, "knowledge/articles.html", context)


def _ticket(request: AgentRequest, number: int) -> Ticket:
    try:
        ticket = get_ticket_for(request.user, number=number)
    except Ticket.DoesNotExist:
        raise Http404 from None
    if ticket.is_open:
        raise Http404  # only a resolved ticket's answer is one to publish
    return ticket


def _save(request: AgentRequest, form: ArticleForm, article: Article | None, ticket: Ticket | None) -> Article:
    text = form.article_text()
    if article is None:
        article = do_create_article(text, acting_user=request.user, tickets=[ticket] if ticket else [])
    else:
        article = do_update_article(article, text, acting_user=request.user)
    if (upload := form.cleaned_data.get("image")) is not None:
        image = do_add_article_image(article, filename=upload.name, content=upload.read(), acting_user=request.user)
        url = reverse("kb_image", args=[image.pk])
        body = f'{article.body_html}<p><img src="{url}" alt="{escape(image.filename)}"></p>'
        article = do_update_article(article, replace(text, body_html=body, slug=article.slug), acting_user=request.user)
    return article


def _editor(
    request: AgentRequest,
    *,
    article: Article | None = None,
    ticket: Ticket | None = None,
    prefill: Prefill | None = None,
) -> HttpResponse:
    _writer(request)
    contact = ticket.contact if ticket is not None else None
    if request.method == "POST":
        warnings = personal_data_warnings(html_to_text(request.POST.get("body_html", "")), contact=contact)
        warnings += personal_data_warnings(request.POST.get("title", ""), contact=contact)
        form = ArticleForm(request.POST, request.FILES, warnings=warnings if ticket is not None else [])
        if form.is_valid():
            try:
                saved = _save(request, form, article, ticket)
            except KnowledgeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The article is saved."))
                return HttpResponseRedirect(reverse("kb_edit_article", args=[saved.pk]))
    elif article is not None:
        form = ArticleForm(initial=initial_of(article))
        warnings = []
    else:
        initial: dict[str, object] = {"state": Article.State.DRAFT, "language": request.LANGUAGE_CODE[:2]}
        if prefill is not None:
            initial.update(title=prefill.title, body_html=prefill.body_html)
        form = ArticleForm(initial=initial)
        warnings = personal_data_warnings(html_to_text(prefill.body_html), contact=contact) if prefill else []
    html = form["body_html"].value() or ""
    context = {
        "form": form,
        "article": article,
        "ticket": ticket,
        "removed": prefill.removed if prefill else [],
        "warnings": warnings if ticket is not None else [],
        "editor_html": html,
        "placeholder_pattern": PLACEHOLDER_JS,  # the editor highlights "[removed]" and any other blank
        "can_delete": article is not None and can_delete_articles(request.user),
    }
    return render(request, "knowledge/editor.html", context)


@login_required
def new_article(request: AgentRequest) -> HttpResponse:
    return _editor(request)


@login_required
def edit_article(request: AgentRequest, article_id: int) -> HttpResponse:
    return _editor(request, article=get_object_or_404(Article.objects.select_related("category"), pk=article_id))


@login_required
def article_from_ticket(request: AgentRequest, number: int) -> HttpResponse:
    """ "Publish to the knowledge base" on a resolved ticket: the editor, prefilled from the
    question and the answer without the contact's personal data (publishing.py)."""
    _writer(request)
    ticket = _ticket(request, number)
    return _editor(request, ticket=ticket, prefill=prefill_from_ticket(ticket))


@login_required
@require_POST
def delete_article(request: AgentRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    do_delete_article(article, acting_user=request.user)
    messages.success(request, _("The article is deleted."))
    return HttpResponseRedirect(reverse("kb_articles"))
