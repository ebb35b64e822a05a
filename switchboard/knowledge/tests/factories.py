from __future__ import annotations

from switchboard.knowledge.actions import ArticleText, do_create_article
from switchboard.knowledge.models import Article, Category


def make_category(name: str, *, parent: Category | None = None) -> Category:
    return Category.objects.create(name=name, slug=name.lower().replace(" ", "-"), parent=parent)


def make_article(
    title: str,
    body: str = "",
    *,
    category: Category | None = None,
    visibility: str = Article.Visibility.PUBLIC,
    state: str = Article.State.PUBLISHED,
    language: str = Article.Language.ENGLISH,
    summary: str = "",
) -> Article:
    text = ArticleText(
        title=title,
        body_html=body or f"<p>{title}</p>",
        summary=summary,
        category=category,
        visibility=visibility,
        state=state,
        language=language,
    )
    return do_create_article(text, acting_user=None)
