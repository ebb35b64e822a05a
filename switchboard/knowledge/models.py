"""The knowledge base (SELF-02): categories nested one level, articles for everyone or for the
agents only, their images, and what readers make of them (views, "did this help?")."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from switchboard.tickets.models import Ticket

# The first part of /kb/<category>/…: the knowledge base's own pages come first, so no category takes these slugs.
RESERVED_SLUGS = frozenset({"a", "suggestions", "manage", "images", "search"})


class Category(models.Model):
    """A category of articles; a category may sit in another one that sits in none (one level)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("within"),
        limit_choices_to={"parent__isnull": True},
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    icon = models.CharField(
        _("icon"), max_length=40, blank=True, help_text=_("A Bootstrap icon's name, such as “truck”.")
    )

    class Meta:
        verbose_name = _("knowledge base category")
        verbose_name_plural = _("knowledge base categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kb_category", args=[self.slug])

    def clean(self) -> None:
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This address belongs to the knowledge base's own pages.")})
        if self.parent is not None and (self.parent_id == self.pk or self.parent.parent_id is not None):
            raise ValidationError({"parent": _("Categories go one level deep: choose a category that is in none.")})
        if self.pk is not None and self.parent_id is not None and self.children.exists():
            raise ValidationError({"parent": _("This category has categories in it, so it can be in none.")})


class Article(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        INTERNAL = "internal", _("Agents only")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        POLISH = "pl", _("Polish")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=200, unique=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("category"),
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body_html = models.TextField(_("text"), blank=True, help_text="Sanitised before it is stored.")
    visibility = models.CharField(_("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH)
    tickets = models.ManyToManyField(Ticket, blank=True, related_name="articles", verbose_name=_("related tickets"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    helpful_yes = models.PositiveIntegerField(_("helped"), default=0)
    helpful_no = models.PositiveIntegerField(_("did not help"), default=0)
    # The folded words of the title and of the text (knowledge/search.py), for the full-text index.
    search_title = models.TextField(editable=False, blank=True, default="")
    search_body = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["category", "state", "visibility"], name="article_category_state")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.category is not None:
            return reverse("kb_article", args=[self.category.slug, self.slug])
        return reverse("kb_article_by_slug", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC and self.state == self.State.PUBLISHED


def image_path(instance: ArticleImage, filename: str) -> str:
    return f"knowledge/{instance.article_id}/{filename}"


class ArticleImage(models.Model):
    """An image uploaded into an article's text; served by ``/kb/images/<id>/`` to whoever may read the article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=image_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.filename
