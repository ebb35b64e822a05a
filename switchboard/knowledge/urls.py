from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from switchboard.knowledge import editor_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="kb_home"),
    path("suggestions/", views.suggestions, name="kb_suggestions"),
    path("images/<int:image_id>/", views.image, name="kb_image"),
    path("manage/", editor_views.articles, name="kb_articles"),
    path("manage/new/", editor_views.new_article, name="kb_new_article"),
    path("manage/<int:article_id>/", editor_views.edit_article, name="kb_edit_article"),
    path("manage/<int:article_id>/delete/", editor_views.delete_article, name="kb_delete_article"),
    path("manage/from-ticket/<int:number>/", editor_views.article_from_ticket, name="kb_article_from_ticket"),
    path("a/<slug:slug>/", views.article_by_slug, name="kb_article_by_slug"),
    path("a/<slug:slug>/vote/", views.vote, name="kb_vote"),
    path("<slug:slug>/", views.category, name="kb_category"),
    path("<slug:category_slug>/<slug:slug>/", views.article, name="kb_article"),
]
