"""The help centre (SELF-02): /kb/ with its search and categories, category pages, article pages
with "did this help?", the suggestions shown as someone types, and the articles' images. Open to
everyone; articles for agents only and drafts are there for agents alone (404 for others)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from switchboard.knowledge.actions import do_record_article_view, do_vote_on_article
from switchboard.knowledge.models import Article, ArticleImage, Category
from switchboard.knowledge.selectors import (
    Reader,
    get_article,
    get_category,
    list_categories,
    list_category_articles,
    list_popular_articles,
    list_related_tickets,
    readable_articles,
    reader_of,
    search_articles,
    suggest_articles,
)
from switchboard.tickets.downloads import file_response

MAX_QUERY_CHARS = 200
MAX_SUGGESTION_CHARS = 2000
RESULTS = 30
SUGGESTIONS = 5
VIEWED = "kb_viewed"
VOTED = "kb_voted"
REMEMBERED = 200  # articles a session remembers having counted


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]
    reader = reader_of(request.user)
    context = {
        "q": query,
        "results": search_articles(reader, query, limit=RESULTS) if query else None,
        "categories": list_categories(reader),
        "popular": [] if query else list_popular_articles(reader, limit=8),
        "writer": reader.internal,
    }
    return render(request, "knowledge/home.html", context)


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_category(slug)
    reader = reader_of(request.user)
    articles = list_category_articles(reader, found, limit=200)
    context = {
        "category": found,
        "articles": articles,
        "crumbs": [found.parent] if found.parent else [],
        "writer": reader.internal,
    }
    return render(request, "knowledge/category.html", context)


def _remember(request: HttpRequest, key: str, article: Article) -> bool:
    """Whether this visitor's session meets the article for the first time under ``key`` (and remember it)."""
    seen: list[int] = request.session.get(key, [])
    if article.pk in seen:
        return False
    request.session[key] = [*seen[-REMEMBERED + 1 :], article.pk]
    return True


def _crumbs(article: Article) -> list[Category]:
    if article.category is None:
        return []
    return [article.category.parent, article.category] if article.category.parent else [article.category]


def _article_page(request: HttpRequest, reader: Reader, article: Article) -> HttpResponse:
    if _remember(request, VIEWED, article):
        do_record_article_view(article)
    context = {
        "article": article,
        "voted": article.pk in request.session.get(VOTED, []),
        "tickets": list_related_tickets(reader, article),
        "internal": reader.internal,
        "writer": reader.internal,
        "crumbs": _crumbs(article),
    }
    response = render(request, "knowledge/article.html", context)
    if not article.is_public:
        response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def article(request: HttpRequest, category_slug: str, slug: str) -> HttpResponse:
    reader = reader_of(request.user)
    return _article_page(request, reader, get_article(reader, slug, category_slug=category_slug))


@require_GET
def article_by_slug(request: HttpRequest, slug: str) -> HttpResponse:
    reader = reader_of(request.user)
    found = get_article(reader, slug)
    if found.category_id is not None:
        return HttpResponseRedirect(found.get_absolute_url())
    return _article_page(request, reader, found)


@require_POST
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Did this help?": one answer per visitor's session."""
    found = get_article(reader_of(request.user), slug)
    answer = request.POST.get("helpful")
    if answer not in {"yes", "no"}:
        raise Http404
    if _remember(request, VOTED, found):
        do_vote_on_article(found, helpful=answer == "yes")
    if request.headers.get("HX-Request"):
        return render(request, "knowledge/_vote.html", {"article": found, "voted": True})
    return HttpResponseRedirect(found.get_absolute_url() + "#vote")


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """The articles that may answer what someone is typing, as a list to show under their field."""
    text = request.GET.get("q", "").strip()[:MAX_SUGGESTION_CHARS]
    found = suggest_articles(reader_of(request.user), text, limit=SUGGESTIONS) if text else []
    context = {"articles": found, "same_tab": request.GET.get("tab") == "same"}
    return render(request, "knowledge/_suggestion_results.html", context)


@require_GET
def image(request: HttpRequest, image_id: int) -> FileResponse:
    """An article's image, to whoever may read the article (shown only if its bytes are an image)."""
    found = get_object_or_404(ArticleImage, pk=image_id, article__in=readable_articles(reader_of(request.user)))
    return file_response(found.file, filename=found.filename)
