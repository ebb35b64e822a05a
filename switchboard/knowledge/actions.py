"""Every write of the knowledge base (SELF-02): articles and their images, and the counts of
views and of "did this help?" answers (F() updates: two readers at once both count)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User as Agent
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from switchboard.contacts.search import fold
from switchboard.core.html import sanitise_html
from switchboard.knowledge.access import can_delete_articles, can_write_articles
from switchboard.knowledge.models import Article, ArticleImage, Category
from switchboard.knowledge.search import search_columns
from switchboard.tickets.actions import do_add_note
from switchboard.tickets.downloads import sniff_image_type
from switchboard.tickets.files import delete_files
from switchboard.tickets.models import Ticket
from switchboard.tickets.permissions import User, ensure_can_work_on

MAX_IMAGE_BYTES = 5 * 1024 * 1024


class KnowledgeError(Exception):
    """A write refused, with a message for the person who asked."""


@dataclass(frozen=True)
class ArticleText:
    """What an agent writes: the article's words and where it goes."""

    title: str
    body_html: str
    summary: str = ""
    slug: str = ""
    category: Category | None = None
    visibility: str = Article.Visibility.PUBLIC
    state: str = Article.State.DRAFT
    language: str = Article.Language.ENGLISH


def slug_for(title: str, *, exclude_id: int | None) -> str:
    """A readable, unused address for ``title``: "Łódź pick-up" → "lodz-pick-up" (then "-2", "-3")."""
    base = slugify(fold(title))[:190].strip("-") or "article"
    others = Article.objects.filter(slug__startswith=base)
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    taken = set(others.values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_writer(user: User | None) -> None:
    if user is not None and not can_write_articles(user):
        raise PermissionDenied(_("Only agents write articles."))


def _apply(article: Article, text: ArticleText) -> None:
    title = text.title.strip()
    if not title:
        raise KnowledgeError(_("An article needs a title."))
    slug = slugify(text.slug) if text.slug.strip() else (article.slug or slug_for(title, exclude_id=article.pk))
    if Article.objects.filter(slug=slug).exclude(pk=article.pk).exists():
        raise KnowledgeError(_("Another article has this address already."))
    article.title = title
    article.slug = slug
    article.summary = text.summary.strip()
    article.body_html = sanitise_html(text.body_html)
    article.category = text.category
    article.visibility = text.visibility
    article.language = text.language
    if text.state == Article.State.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    article.state = text.state
    for column, value in search_columns(title=title, summary=article.summary, body_html=article.body_html).items():
        setattr(article, column, value)


@transaction.atomic
def do_create_article(text: ArticleText, *, acting_user: User | None, tickets: Iterable[Ticket] = ()) -> Article:
    """A new article; ``tickets``: the tickets it answers (the agent may work on each), each
    noted on its timeline."""
    _check_writer(acting_user)
    tickets = list(tickets)
    for ticket in tickets:
        ensure_can_work_on(acting_user, ticket)
    author = acting_user if isinstance(acting_user, Agent) else None
    article = Article(author=author)
    _apply(article, text)
    article.save()
    article.tickets.add(*tickets)
    if author is not None:  # the tickets' agents see that its answer is an article now
        note = _("Written up in the knowledge base: “%(title)s”") % {"title": article.title}
        for ticket in tickets:
            do_add_note(ticket, body=note, acting_user=author)
    return article


@transaction.atomic
def do_update_article(article: Article, text: ArticleText, *, acting_user: User | None) -> Article:
    _check_writer(acting_user)
    _apply(article, text)
    article.save()
    return article


@transaction.atomic
def do_delete_article(article: Article, *, acting_user: User | None) -> None:
    if acting_user is not None and not can_delete_articles(acting_user):
        raise PermissionDenied(_("Only managers and administrators delete articles."))
    files = list(article.images.values_list("file", flat=True))
    article.delete()
    transaction.on_commit(lambda: delete_files(files))


@transaction.atomic
def do_add_article_image(article: Article, *, filename: str, content: bytes, acting_user: User | None) -> ArticleImage:
    """Store an image for the article's text: a PNG, JPEG, GIF or WebP image by its own bytes, at
    most ``MAX_IMAGE_BYTES``; the file's own name is kept for show only."""
    _check_writer(acting_user)
    if len(content) > MAX_IMAGE_BYTES:
        raise KnowledgeError(_("The image is too large (at most 5 MB)."))
    kind = sniff_image_type(content)
    if kind is None:
        raise KnowledgeError(_("Only PNG, JPEG, GIF and WebP images can go into an article."))
    shown = "".join(char for char in filename if char.isprintable()).replace("\\", "/").rsplit("/", 1)[-1]
    image = ArticleImage(article=article, filename=shown.strip()[-255:] or "image", size=len(content))
    image.file.save(f"image.{kind.split('/')[1]}", ContentFile(content), save=False)
    image.save()
    return image


def do_record_article_view(article: Article) -> None:
    """One more reading of the article (counted in the database: no reading is lost to another)."""
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)


def do_vote_on_article(article: Article, *, helpful: bool) -> None:
    """A reader's answer to "did this help?"; the view allows one per visitor's session."""
    field = "helpful_yes" if helpful else "helpful_no"
    Article.objects.filter(pk=article.pk).update(**{field: F(field) + 1})
