from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from switchboard.web import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/", views.web_form, name="web_form"),
    path("<slug:slug>/thanks/", views.web_form_thanks, name="web_form_thanks"),
    path("<slug:slug>/embed.js", views.embed_script, name="web_form_embed"),
    path("<slug:slug>/example/", views.example_page, name="web_form_example"),
]
