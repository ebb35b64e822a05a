"""Knowledge-base articles over the API (API-01): read only, what the token's user may read
in the help centre (agents also the articles for agents only)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from switchboard.api.auth import user_of
from switchboard.api.errors import COMMON_ERRORS
from switchboard.api.schemas import ArticleOut
from switchboard.knowledge.models import Article
from switchboard.knowledge.selectors import get_article, listed_articles, reader_of, search_articles

router = Router(tags=["knowledge base"])


class ArticleQuery(Schema):
    q: str = Field("", max_length=200, description="Words the article holds; empty: the latest first.")
    limit: int = Field(50, ge=1, le=100)


@router.get("/articles", response={200: list[ArticleOut], **COMMON_ERRORS}, summary="List articles")
def list_articles(request: HttpRequest, query: Query[ArticleQuery]) -> list[Article]:
    """Published articles: for everyone, and for agents those for agents only too."""
    reader = reader_of(user_of(request))
    if query.q.strip():
        return search_articles(reader, query.q, limit=query.limit)
    return list(listed_articles(reader).order_by("-updated_at", "-id")[: query.limit])


@router.get("/articles/{slug}", response={200: ArticleOut, **COMMON_ERRORS}, summary="Read an article")
def read_article(request: HttpRequest, slug: str) -> Article:
    return get_article(reader_of(user_of(request)), slug)  # Http404: 404
