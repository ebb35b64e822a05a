"""The demo's knowledge base (SELF-02): the food bank's help centre in the demo's language, with
topics, a subtopic, articles for everyone and for agents only, and their readers' counts."""

from __future__ import annotations

from django.db import transaction

from switchboard.knowledge.actions import ArticleText, do_create_article
from switchboard.knowledge.demo_texts import ARTICLES, CATEGORIES
from switchboard.knowledge.models import Article, Category
from switchboard.tickets.models import Ticket


@transaction.atomic
def load_knowledge_demo(language: str = "en") -> None:
    """Once: nothing happens if the knowledge base has articles already."""
    if Article.objects.exists():
        return
    categories: dict[str, Category] = {}
    for position, topic in enumerate(CATEGORIES[language]):
        categories[topic.key] = Category.objects.create(
            name=topic.name,
            slug=topic.slug,
            description=topic.description,
            icon=topic.icon,
            position=position,
            parent=categories[topic.parent] if topic.parent else None,
        )
    resolved = list(Ticket.objects.filter(closed_at__isnull=False).order_by("number")[:1])
    for demo in ARTICLES[language]:
        text = ArticleText(
            title=demo.title,
            summary=demo.summary,
            body_html=demo.body,
            category=categories[demo.category],
            visibility=Article.Visibility.INTERNAL if demo.internal else Article.Visibility.PUBLIC,
            state=Article.State.PUBLISHED,
            language=language,
        )
        article = do_create_article(text, acting_user=None, tickets=resolved if demo.internal else [])
        Article.objects.filter(pk=article.pk).update(
            view_count=demo.views, helpful_yes=demo.helped[0], helpful_no=demo.helped[1]
        )
    do_create_article(
        ArticleText(
            title="Winter opening hours" if language == "en" else "Godziny otwarcia zimą",
            body_html="<p>…</p>",
            category=categories["pickup"],
            language=language,
        ),
        acting_user=None,
    )
