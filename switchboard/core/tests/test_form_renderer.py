"""The forms' renderer writes the commonest widgets in Python: exactly what Django's templates
write, widget by widget, in English and Polish."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from switchboard.core.form_renderer import _WRITERS, FormRenderer
from switchboard.core.widgets import LocalDateInput, LocalDateTimeInput

CHOICES = [
    ("", "— nobody —"),
    (1, "Ann <ann@example.com> & co"),
    (2, gettext_lazy("Source")),
    (Decimal("1234.5"), 1234567),
    (
        "Group “A”",
        [("a1", "one"), ("a2", mark_safe("<b>two</b>"))],
    ),
]


class Everything(forms.Form):
    title = forms.CharField(max_length=300, initial='He said "no" & <left>')
    empty = forms.CharField(required=False)
    number = forms.IntegerField(initial=1234567, widget=forms.NumberInput(attrs={"min": 0, "step": Decimal("0.5")}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autofocus": True, "hidden": False, "data-x": "a'b"}))
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=7)
    url = forms.URLField(assume_scheme="https", initial="https://example.com/?a=1&b=2")
    when = forms.DateTimeField(widget=LocalDateTimeInput(), initial=dt.datetime(2026, 12, 6, 3, 15, tzinfo=dt.UTC))
    day = forms.DateField(widget=LocalDateInput(), initial=dt.date(2026, 1, 31))
    native = forms.DateTimeField(initial=dt.datetime(2026, 12, 6, 3, 15, tzinfo=dt.UTC))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="line 1\n<line 2> & “3”")
    blank_text = forms.CharField(widget=forms.Textarea, required=False)
    choice = forms.ChoiceField(choices=CHOICES, initial=2)
    typed = forms.TypedChoiceField(choices=CHOICES, coerce=str, required=False, initial="a2")
    many = forms.MultipleChoiceField(choices=CHOICES, initial=[1, "a1"])
    safe_attr = forms.CharField(widget=forms.TextInput(attrs={"placeholder": mark_safe("a &amp; b")}))
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="s3cret&")


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("bound", [False, True])
def test_each_widget_is_written_as_djangos_templates_write_it(language: str, bound: bool) -> None:
    data = {"title": "x & y", "number": "12", "many": ["1", "2"], "choice": "1", "text": "<p>", "when": "oops"}
    form = Everything(data if bound else None, auto_id="id_%s")
    with translation.override(language):
        for field in form:
            attrs: dict[str, str | bool] = {"class": "form-control form-control-sm", "required": field.field.required}
            ours = field.as_widget(attrs=attrs)
            form.renderer = DjangoTemplates()
            theirs = field.as_widget(attrs=attrs)
            form.renderer = FormRenderer()
            assert ours == theirs, field.name
            # Written in Python, not handed on to the templates:
            widget = field.field.widget
            context = widget.get_context(field.html_name, field.value(), field.build_widget_attrs(attrs))
            assert _WRITERS[widget.template_name](context["widget"]) is not None


def test_a_widget_it_does_not_know_goes_to_the_templates() -> None:
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect).widget
    html = radio.render("who", "1", renderer=FormRenderer())
    assert html == radio.render("who", "1", renderer=DjangoTemplates())
    assert 'type="radio"' in html
