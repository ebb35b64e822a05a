from __future__ import annotations

from django.contrib import admin

from switchboard.knowledge.models import Article, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Managers and administrators keep the categories here; articles are written in the product (/kb/manage/)."""

    list_display = ["name", "parent", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "category", "visibility", "state", "language", "view_count", "helpful_yes", "helpful_no"]
    list_filter = ["state", "visibility", "language", "category"]
    search_fields = ["title"]
    fields = ("title", "slug", "category", "visibility", "state", "language", "view_count", "helpful_yes", "helpful_no")
    readonly_fields = fields  # written in the product's editor, which sanitises the text and keeps the search current

    def has_add_permission(self, request: object) -> bool:
        return False
