from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from switchboard.chat import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/", views.visitor_chat, name="visitor_chat"),
    path("<slug:slug>/widget.js", views.widget_script, name="chat_widget"),
    path("<slug:slug>/example/", views.example_page, name="chat_example"),
]
