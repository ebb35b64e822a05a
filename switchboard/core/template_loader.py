"""Django's cached template loader, with each template's static runs rendered once per language.

A page's templates hold hundreds of nodes whose output never depends on the request: the words
of ``{% translate "…" %}``, the addresses of ``{% url 'name' %}`` without variables and of
``{% static '…' %}``, ``{% load %}`` and ``{% comment %}``, and the text between them. Django renders
each of them at every request (the ticket page: 213 translations, 14 static files, ~25 fixed
addresses; a translation costs a lazy string, a catalogue look-up and an escape). This loader
replaces every run of such nodes, in every template it loads, by one ``StaticRun`` node that keeps
the run's nodes and renders them as Django would the first time it meets a language (and the
autoescaping, the URL configuration, the script prefix, the current application), then gives that
text back. The page is the same, character for character: the nodes themselves render it.

What the cached text depends on is in its key; what could change it while the process runs (a
translation file edited under ``runserver``, a setting changed by a test) starts a new generation.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.signals import setting_changed
from django.template import Context, Node, NodeList, Template
from django.template.base import FilterExpression, TextNode, Variable
from django.template.defaulttags import CommentNode, IfNode, LoadNode, URLNode
from django.template.loaders import cached
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.autoreload import file_changed

_generation = 0


def _start_generation(**kwargs: Any) -> None:  # noqa: ANN401 - a signal's arguments
    global _generation  # noqa: PLW0603 - one counter for the process
    _generation += 1


setting_changed.connect(_start_generation, dispatch_uid="switchboard.static_runs.settings")
file_changed.connect(_start_generation, dispatch_uid="switchboard.static_runs.files")


_joining = threading.Lock()


class Loader(cached.Loader):
    """``django.template.loaders.cached.Loader`` that turns each template's static runs into
    ``StaticRun`` nodes once, when it first loads the template."""

    def get_template(self, template_name: str, skip: list[Any] | None = None) -> Template:
        template: Template = super().get_template(template_name, skip)
        if not getattr(template, "static_runs", False):
            # Once, and before any thread renders it: the cached template is shared, and joining
            # changes its node lists in place. Under ASGI the first requests come together; one
            # rendering the login page while another joined it skipped nodes ({% csrf_token %}:
            # no CSRF cookie, a refused sign-in; bench/load.py in CI, 2026-12-06).
            with _joining:
                if not getattr(template, "static_runs", False):
                    join_static_runs(template.nodelist)
                    template.static_runs = True  # type: ignore[attr-defined]
        return template


def _is_literal(expression: FilterExpression) -> bool:
    """A quoted string without filters: ``'home'``, not ``group.slug`` nor ``'x'|upper``."""
    if expression.filters:
        return False
    var = expression.var
    if isinstance(var, Variable):
        return var.literal is not None and not var.lookups
    return isinstance(var, str)  # a constant compiled to its value


def is_static(node: Node) -> bool:
    """Whether ``node`` renders the same text for every request of a language."""
    if isinstance(node, TextNode | LoadNode | CommentNode):
        return True
    if isinstance(node, TranslateNode):
        return (
            node.asvar is None
            and not node.noop
            and _is_literal(node.filter_expression)
            and (node.message_context is None or _is_literal(node.message_context))
        )
    if isinstance(node, URLNode):
        return (
            node.asvar is None
            and not node.kwargs
            and _is_literal(node.view_name)
            and all(_is_literal(arg) for arg in node.args)
        )
    if isinstance(node, StaticNode):
        return node.varname is None and _is_literal(node.path)
    return False


class StaticRun(Node):
    """Consecutive static nodes (``is_static``), rendered by themselves once per key."""

    child_nodelists = ()

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes
        self.token = nodes[0].token
        self.origin = nodes[0].origin
        self.has_url = any(isinstance(node, URLNode) for node in nodes)
        self.rendered: dict[tuple[object, ...], str] = {}

    def __repr__(self) -> str:
        return f"<StaticRun of {len(self.nodes)} nodes>"

    def render(self, context: Context) -> str:
        key: tuple[object, ...] = (_generation, translation.get_language(), context.autoescape)
        if self.has_url:
            key += (get_urlconf(), get_script_prefix(), _current_app(context))
        text = self.rendered.get(key)
        if text is None:
            text = "".join(str(node.render_annotated(context)) for node in self.nodes)
            self.rendered[key] = text
        return text


def _current_app(context: Context) -> str | None:
    """What ``URLNode`` reverses names in, as it finds it."""
    request = getattr(context, "request", None)
    current_app = getattr(request, "current_app", None)
    if current_app is None:
        current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    return current_app


def join_static_runs(nodelist: NodeList) -> None:
    """Replace, in place and in every nested node list, each run of static nodes that holds more
    than text by one ``StaticRun``."""
    joined: list[Node] = []
    run: list[Node] = []
    for node in nodelist:
        if is_static(node):
            run.append(node)
            continue
        _close_run(run, joined)
        run = []
        joined.append(node)
        for inner in _nested_nodelists(node):
            join_static_runs(inner)
    _close_run(run, joined)
    nodelist[:] = joined


def _close_run(run: list[Node], joined: list[Node]) -> None:
    if any(not isinstance(node, TextNode) for node in run):
        joined.append(StaticRun(run))
    else:
        joined.extend(run)


def _nested_nodelists(node: Node) -> list[NodeList]:
    if isinstance(node, IfNode):  # its ``nodelist`` is a new list of all its branches' nodes
        return [nodelist for _condition, nodelist in node.conditions_nodelists]
    nested = (getattr(node, name, None) for name in node.child_nodelists)
    return [nodelist for nodelist in nested if isinstance(nodelist, NodeList)]
