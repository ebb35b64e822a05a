"""The template loader renders each template's static runs once per language: the text is what
Django's own loader gives, in English and Polish, escaped or not, after a setting changes."""

from __future__ import annotations

import threading

from django.template import Context, Engine, engines
from django.test import override_settings
from django.utils import translation

from switchboard.core import template_loader
from switchboard.core.template_loader import Loader, StaticRun

TEMPLATES = {
    "page.html": (
        "{% load i18n static %}<a href=\"{% url 'home' %}\">{% translate 'Contacts' %}</a>"
        "{% comment %}not shown{% endcomment %} <img src=\"{% static 'core/logo.svg' %}\">"
        " {% translate 'Next' context 'the next ticket' %} {% translate word %}"
        " <a href=\"{% url 'ticket' number %}\">#{{ number }}</a>"
        "{% for n in numbers %}<i>{% translate 'Close' %} {{ n }}</i>{% endfor %}"
        "{% if flag %}{% translate 'Tom & Jerry' %}{% else %}{% translate 'Search' %}{% endif %}"
        "{% include 'part.html' %}{% autoescape off %}{% include 'part.html' %}{% endautoescape %}"
    ),
    "part.html": "{% load i18n %}[{% translate 'Tom & Jerry' %}]",
}


def _engine(loader: str) -> Engine:
    return Engine(
        loaders=[(loader, [("django.template.loaders.locmem.Loader", TEMPLATES)])],
        libraries={"i18n": "django.templatetags.i18n", "static": "django.templatetags.static"},
    )


def _render(engine: Engine, **values: object) -> str:
    context = {"word": "Status", "number": 42, "numbers": [1, 2], "flag": True} | values
    return engine.get_template("page.html").render(Context(context))


def test_pages_are_what_djangos_loader_renders_in_each_language_and_escaping():
    ours, django = _engine("switchboard.core.template_loader.Loader"), _engine("django.template.loaders.cached.Loader")
    seen = []
    for language in ("en", "pl", "en", "pl"):
        with translation.override(language):
            for values in ({}, {"word": "Owner", "number": 7, "numbers": [3], "flag": False}):
                html = _render(ours, **values)
                assert html == _render(django, **values)
                seen.append(html)
    english, polish = seen[0], seen[2]
    assert '<a href="/">Contacts</a>' in english and '<a href="/">Kontakty</a>' in polish
    assert "<i>Close 1</i><i>Close 2</i>" in english and "Status" in english and "Owner" in seen[1]
    assert '<a href="/tickets/42/">#42</a>' in english and '<a href="/tickets/7/">#7</a>' in seen[1]
    assert english.endswith("Tom & Jerry[Tom & Jerry][Tom & Jerry]")  # a literal's words are safe text
    assert "not shown" not in english


def test_only_nodes_without_variables_are_joined():
    page = _engine("switchboard.core.template_loader.Loader").get_template("page.html")
    runs = [node for node in page.nodelist.get_nodes_by_type(StaticRun)]
    joined = [type(inner).__name__ for run in runs for inner in run.nodes]
    assert {"TranslateNode", "URLNode", "StaticNode", "CommentNode", "LoadNode", "TextNode"} == set(joined)
    assert len(page.nodelist.get_nodes_by_type(StaticRun)) >= 4  # the loop's and the branches' too
    # {% translate word %} and {% url 'ticket' number %} stay as they are.
    assert sum(type(node).__name__ == "TranslateNode" for node in page.nodelist) == 1
    assert sum(type(node).__name__ == "URLNode" for node in page.nodelist) == 1


def test_a_changed_setting_renders_the_runs_again():
    engine = _engine("switchboard.core.template_loader.Loader")
    assert '<img src="/static/core/logo.svg">' in _render(engine)
    with override_settings(STATIC_URL="/assets/"):
        assert '<img src="/assets/core/logo.svg">' in _render(engine)
    assert '<img src="/static/core/logo.svg">' in _render(engine)


def test_the_projects_templates_are_loaded_by_it():
    loaders = engines["django"].engine.template_loaders  # type: ignore[attr-defined]
    assert [type(loader) for loader in loaders] == [Loader]


def test_a_second_thread_waits_for_the_first_threads_join_and_does_not_join_again(monkeypatch):
    """Two first requests at once: while one thread joins a new template's runs (changing its node
    lists in place), another asking for the same template must wait, then render it as joined.
    Without the lock it joined the same lists at once, and a render beside a join skipped nodes:
    {% csrf_token %} on the sign-in page (bench/load.py, 2026-12-06)."""
    engine = _engine("switchboard.core.template_loader.Loader")
    joining, events = threading.Event(), []
    join_static_runs = template_loader.join_static_runs

    def render_in_another_thread() -> None:
        joining.wait()
        events.append(engine.get_template("part.html").render(Context()))

    other = threading.Thread(target=render_in_another_thread)

    def join_giving_the_other_thread_its_chance(nodelist):
        events.append("join")
        if not joining.is_set():
            joining.set()
            other.join(timeout=1)  # unblocked, it renders in a few milliseconds
        join_static_runs(nodelist)
        events.append("joined")

    monkeypatch.setattr(template_loader, "join_static_runs", join_giving_the_other_thread_its_chance)
    other.start()
    mine = engine.get_template("part.html").render(Context())
    other.join()
    assert events == ["join", "joined", "[Tom & Jerry]"]
    assert mine == "[Tom & Jerry]"
