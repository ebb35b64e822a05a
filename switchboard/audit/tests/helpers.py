"""Posting a form as the browser would: every field with the value the page shows, then the changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict


def _put(data: QueryDict, name: str, value: Any, widget: forms.Widget) -> None:
    if isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(value)
        for index, part in enumerate(parts):
            _put(data, f"{name}_{index}", part, widget.widgets[index])
        return
    if value is None or value is False:
        if not isinstance(widget, forms.CheckboxInput):
            data[name] = ""
        return
    if value is True:
        data[name] = "on"
    elif isinstance(value, list | tuple):
        data.setlist(name, [str(getattr(item, "pk", item)) for item in value])
    else:
        data[name] = str(getattr(value, "pk", value))


def form_data(form: forms.BaseForm, **changes: Any) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, field in form.fields.items():
        if field.disabled:
            continue
        _put(data, form.add_prefix(name), form[name].value(), field.widget)
    for name, value in changes.items():
        data.pop(form.add_prefix(name), None)
        _put(data, form.add_prefix(name), value, form.fields[name].widget if name in form.fields else forms.TextInput())
    return data


def admin_data(response: Any, **changes: Any) -> QueryDict:
    """What the admin's add or change page posts as it is shown, with ``changes`` to the main form."""
    data = form_data(response.context["adminform"].form, **changes)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    return data
