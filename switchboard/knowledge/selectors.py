"""Reads of the knowledge base (SELF-02): what a visitor or an agent may see, each page a fixed
number of queries whatever the number of articles."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from switchboard.knowledge.access import reads_internal
from switchboard.knowledge.models import Article, Category
from switchboard.knowledge.search import query_words, ranked_article_ids, suggestion_words
from switchboard.tickets.models import Ticket
from switchboard.tickets.permissions import User, visible_ticket_q

PUBLISHED = Article.State.PUBLISHED
PUBLIC = Article.Visibility.PUBLIC


@dataclass(frozen=True)
class Reader:
    """Who reads, and whether they see what is for agents only (asked once per request)."""

    user: User
    internal: bool


def reader_of(user: User) -> Reader:
    return Reader(user=user, internal=reads_internal(user))


def readable_articles(reader: Reader) -> QuerySet[Article]:
    """What ``reader`` may open: published articles for everyone; for agents also those for agents
    only and the drafts."""
    articles = Article.objects.select_related("category__parent")
    if reader.internal:
        return articles
    return articles.filter(state=PUBLISHED, visibility=PUBLIC)


def listed_articles(reader: Reader) -> QuerySet[Article]:
    """What the help centre's lists and search show ``reader``: published articles (for agents,
    those for agents only too); drafts only in the agents' own list."""
    articles = Article.objects.select_related("category").filter(state=PUBLISHED)
    return articles if reader.internal else articles.filter(visibility=PUBLIC)


def _listed_condition(reader: Reader) -> tuple[str, list[str]]:
    if reader.internal:
        return "a.state = %s", [PUBLISHED]
    return "a.state = %s AND a.visibility = %s", [PUBLISHED, PUBLIC]


def _articles_in_order(ids: list[int]) -> list[Article]:
    if not ids:
        return []
    found = Article.objects.select_related("category").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def search_articles(reader: Reader, query: str, *, limit: int) -> list[Article]:
    """The articles ``reader`` is shown that hold every word of ``query``, best first: two queries."""
    condition, params = _listed_condition(reader)
    return _articles_in_order(ranked_article_ids(query_words(query), condition=condition, params=params, limit=limit))


def suggest_articles(reader: Reader, text: str, *, limit: int) -> list[Article]:
    """The articles that may answer what ``reader`` is typing (a search, or a whole question): two queries."""
    condition, params = _listed_condition(reader)
    words, any_word = suggestion_words(text)
    ids = ranked_article_ids(words, condition=condition, params=params, limit=limit, any_word=any_word)
    return _articles_in_order(ids)


def list_categories(reader: Reader) -> list[Category]:
    """The top categories with their subcategories, and on each ``shown``: how many articles
    ``reader`` is shown in it (``total``: with its subcategories'); for visitors only those with
    articles to read. One query."""
    listed = Q(articles__state=PUBLISHED)
    if not reader.internal:
        listed &= Q(articles__visibility=PUBLIC)
    counted = Category.objects.annotate(shown=Count("articles", filter=listed))
    top: list[Category] = [category for category in counted if category.parent_id is None]
    children: dict[int, list[Category]] = {}
    for child in counted:
        if child.parent_id is not None:
            children.setdefault(child.parent_id, []).append(child)
    for category in top:
        category.subcategories = [  # type: ignore[attr-defined]
            child
            for child in children.get(category.pk, [])
            if child.shown or reader.internal  # type: ignore[attr-defined]
        ]
        category.total = category.shown + sum(child.shown for child in category.subcategories)  # type: ignore[attr-defined]
    # A topic with nothing a visitor may read is no topic to them ("For our team").
    return [category for category in top if category.total or reader.internal]  # type: ignore[attr-defined]


def get_category(slug: str) -> Category:
    try:
        return Category.objects.select_related("parent").prefetch_related("children").get(slug=slug)
    except Category.DoesNotExist:
        raise Http404 from None


def list_category_articles(reader: Reader, category: Category, *, limit: int) -> list[Article]:
    """The articles of ``category`` and of its subcategories that ``reader`` is shown, most read first."""
    articles = listed_articles(reader).filter(Q(category=category) | Q(category__parent=category))
    return list(articles.order_by("-view_count", "title")[:limit])


def list_popular_articles(reader: Reader, *, limit: int) -> list[Article]:
    return list(listed_articles(reader).order_by("-view_count", "-id")[:limit])


def get_article(reader: Reader, slug: str, *, category_slug: str | None = None) -> Article:
    """The article ``reader`` may read at this address (404 otherwise: an article for agents only
    is as absent to others as one that does not exist)."""
    articles = readable_articles(reader)
    lookup = {"slug": slug} if category_slug is None else {"slug": slug, "category__slug": category_slug}
    try:
        return articles.get(**lookup)
    except Article.DoesNotExist:
        raise Http404 from None


def list_related_tickets(reader: Reader, article: Article) -> list[Ticket]:
    """The tickets the article answers that ``reader`` works on (agents only; none for others)."""
    if not reader.internal:
        return []
    return list(article.tickets.filter(visible_ticket_q(reader.user)).order_by("-number"))


def list_articles_for_agents(*, query: str = "", state: str = "", limit: int) -> list[Article]:
    """The agents' list of every article, drafts too, newest change first (or by search)."""
    if query:
        condition, params = ("a.state = %s", [state]) if state else ("1 = 1", [])
        return _articles_in_order(
            ranked_article_ids(query_words(query), condition=condition, params=params, limit=limit)
        )
    articles = Article.objects.select_related("category", "author")
    if state:
        articles = articles.filter(state=state)
    return list(articles[:limit])
