"""The demo's help centre (SELF-02): the food bank's articles in the demo's language."""

from __future__ import annotations

import pytest
from django.test import Client

from switchboard.knowledge.demo import load_knowledge_demo
from switchboard.knowledge.models import Article

pytestmark = [pytest.mark.django_db, pytest.mark.spec("SELF-02")]


@pytest.mark.parametrize(
    ("language", "query", "title"),
    [("en", "lodz", "Pick-up times in Łódź"), ("pl", "wolon", "Jak zostać wolontariuszem")],
)
def test_the_demo_has_a_help_centre_in_its_language_once(language, query, title):
    load_knowledge_demo(language)
    load_knowledge_demo(language)
    assert Article.objects.filter(language=language).count() == 13
    assert Article.objects.filter(visibility=Article.Visibility.INTERNAL).count() == 3
    assert title in Client().get(f"/kb/?q={query}").content.decode()
