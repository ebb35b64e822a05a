"""The shift's pages, under /shift/."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
