"""The forms' renderer (settings.FORM_RENDERER): Django's, with its commonest widgets written in
Python. A page such as the ticket page shows some 15 widgets, and each went through three or four
small templates (input.html, attrs.html; select.html with an include per option): about 0.5 ms
of CPU a widget. The writers below give exactly what those templates give (compared, widget by
widget, in core/tests/test_form_renderer.py); any other template, or a widget whose options have
a template of their own, goes to Django's templates as before."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"
_OPTION = _WIDGETS + "select_option.html"
# The context {{ … }} renders values in: Django's defaults (auto-escaping, the active language's
# number formats, the current time zone), as in the widget templates.
_PLAIN = Context()


def _value(value: object) -> str:
    """``{{ value }}``."""
    return str(render_value_in_context(value, _PLAIN))


def _formatted(value: object) -> str:
    """``{{ value|stringformat:'s' }}`` (``"%s" % value`` is ``str(value)``, a tuple's too): no
    number formats; safe text stays unescaped."""
    text = str(value)
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _attrs(attrs: Mapping[str, object]) -> str:
    """attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_value(name)}" if value is True else f' {_value(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    """input.html, and the templates that only include it."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: Mapping[str, Any]) -> str:
    """textarea.html."""
    text = _value(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


def _select(widget: Mapping[str, Any]) -> str | None:
    """select.html with select_option.html; None where an option has a template of its own."""
    parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_value(option['label'])}</option>\n"  # select_option.html's last line
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_WRITERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{
        f"{_WIDGETS}{name}.html": _input
        for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time")
    },
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}select.html": _select,
}


class FormRenderer(DjangoTemplates):
    """Django's templates renderer; the widgets above written in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        write = _WRITERS.get(template_name)
        if write is not None and request is None and set(context) == {"widget"}:
            html = write(context["widget"])
            if html is not None:
                return html
        return str(super().render(template_name, context, request=request))
