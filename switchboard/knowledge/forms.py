from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from switchboard.knowledge.actions import MAX_IMAGE_BYTES, ArticleText
from switchboard.knowledge.models import Article, Category


class CategoryChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent is not None else obj.name


class ArticleForm(forms.Form):
    """The agents' editor of an article; the text comes from ``tickets/_editor.html`` and the
    actions sanitise it."""

    title = forms.CharField(label=_("Title"), max_length=200)
    category = CategoryChoice(
        label=_("Category"),
        queryset=Category.objects.select_related("parent").order_by("parent__position", "position", "name"),
        required=False,
        empty_label=_("No category"),
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=300, required=False, help_text=_("One sentence shown in lists and suggestions.")
    )
    body_html = forms.CharField(label=_("Text"), required=False, max_length=200_000)
    visibility = forms.ChoiceField(label=_("Visible to"), choices=Article.Visibility.choices)
    state = forms.ChoiceField(label=_("State"), choices=Article.State.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Article.Language.choices)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("The end of the article's web address; made from the title when left empty."),
    )
    image = forms.ImageField(
        label=_("Add an image"), required=False, help_text=_("PNG, JPEG, GIF or WebP, at most 5 MB; added at the end.")
    )
    checked = forms.BooleanField(
        label=_("I have read the text: it names nobody and holds no personal data."), required=False
    )

    def __init__(self, *args: Any, warnings: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.warnings = warnings or []
        for name in ("category", "visibility", "state", "language"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image is not None and image.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(_("The image is too large (at most 5 MB)."))
        return image

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.warnings and cleaned.get("state") == Article.State.PUBLISHED and not cleaned.get("checked"):
            self.add_error("checked", _("Check the text for personal data before publishing it."))
        return cleaned

    def article_text(self) -> ArticleText:
        data = self.cleaned_data
        return ArticleText(
            title=data["title"],
            body_html=data["body_html"],
            summary=data["summary"],
            slug=data["slug"],
            category=data["category"],
            visibility=data["visibility"],
            state=data["state"],
            language=data["language"],
        )


def initial_of(article: Article) -> dict[str, object]:
    return {
        "title": article.title,
        "category": article.category_id,
        "summary": article.summary,
        "body_html": article.body_html,
        "visibility": article.visibility,
        "state": article.state,
        "language": article.language,
        "slug": article.slug,
    }
