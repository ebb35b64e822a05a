"""Finding articles by words and by the beginnings of words, in English and Polish, without
accents (SELF-02), on both databases."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from switchboard.knowledge.actions import ArticleText, do_update_article
from switchboard.knowledge.models import Article
from switchboard.knowledge.selectors import Reader, search_articles, suggest_articles
from switchboard.knowledge.tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.spec("SELF-02")]
ANONYMOUS = Reader(user=AnonymousUser(), internal=False)


def titles(articles: list[Article]) -> list[str]:
    return [article.title for article in articles]


@pytest.fixture
def articles(db):
    return {
        "pickup": make_article(
            "Food parcel pick-up times", "<p>Parcels are handed out on <strong>Tuesdays</strong> in Łódź.</p>"
        ),
        "volunteer": make_article(
            "Jak zostać wolontariuszem?",
            "<p>Wolontariusze pakują paczki żywnościowe w Łodzi i w Gdańsku.</p>",
            language="pl",
        ),
        "donate": make_article("Donating food", "<p>Bring tins and dry food to our warehouse.</p>"),
    }


def test_a_whole_word_finds_the_article(articles):
    assert titles(search_articles(ANONYMOUS, "parcels", limit=10)) == ["Food parcel pick-up times"]
    assert titles(search_articles(ANONYMOUS, "warehouse", limit=10)) == ["Donating food"]


def test_the_beginning_of_a_word_finds_it_in_english_and_polish(articles):
    assert titles(search_articles(ANONYMOUS, "donat", limit=10)) == ["Donating food"]
    assert titles(search_articles(ANONYMOUS, "wolon", limit=10)) == ["Jak zostać wolontariuszem?"]
    assert titles(search_articles(ANONYMOUS, "paczk", limit=10)) == ["Jak zostać wolontariuszem?"]


def test_letters_without_their_accents_find_the_accented_words(articles):
    # "Łódź" and its Polish form "Łodzi" both begin with "lodz".
    assert set(titles(search_articles(ANONYMOUS, "lodz", limit=10))) == {
        "Food parcel pick-up times",
        "Jak zostać wolontariuszem?",
    }
    assert titles(search_articles(ANONYMOUS, "zywnosciowe", limit=10)) == ["Jak zostać wolontariuszem?"]
    assert titles(search_articles(ANONYMOUS, "GDAŃSK", limit=10)) == ["Jak zostać wolontariuszem?"]
    assert titles(search_articles(ANONYMOUS, "Łódź tuesdays", limit=10)) == ["Food parcel pick-up times"]


def test_every_word_must_match_and_a_title_word_ranks_first(articles):
    make_article("Warehouse opening hours", "<p>Open on weekdays.</p>")
    assert titles(search_articles(ANONYMOUS, "food tins", limit=10)) == ["Donating food"]
    assert search_articles(ANONYMOUS, "food nothinglikethis", limit=10) == []
    assert titles(search_articles(ANONYMOUS, "warehouse", limit=10)) == ["Warehouse opening hours", "Donating food"]


def test_a_changed_article_is_found_by_its_new_words_only(articles):
    article = articles["donate"]
    do_update_article(
        article,
        ArticleText(title="Giving food", body_html="<p>Bring jars.</p>", state=Article.State.PUBLISHED),
        acting_user=None,
    )
    assert search_articles(ANONYMOUS, "warehouse", limit=10) == []
    assert titles(search_articles(ANONYMOUS, "jars", limit=10)) == ["Giving food"]


def test_a_question_typed_in_a_sentence_suggests_the_articles_with_its_words(articles):
    found = suggest_articles(ANONYMOUS, "Hello, how can I become a wolontariusz in your food bank?", limit=5)
    assert "Jak zostać wolontariuszem?" in titles(found)
    assert titles(suggest_articles(ANONYMOUS, "pick", limit=5)) == ["Food parcel pick-up times"]


def test_words_of_sql_are_only_words(articles):
    assert search_articles(ANONYMOUS, "'; DROP TABLE knowledge_article; --", limit=10) == []
    assert search_articles(ANONYMOUS, 'food" OR "x', limit=10) == []
    assert search_articles(ANONYMOUS, "***", limit=10) == []
    assert Article.objects.count() == 3
