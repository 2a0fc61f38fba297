"""Template filters that draw any Django form field the Bootstrap way.

``partials/_field.html`` is their main user: it asks ``bs_class`` which Bootstrap
class a widget needs and renders it with ``add_class``, so a plain ``forms.Form``
looks right without per-form widget attrs.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.safestring import SafeString

register = template.Library()

# Widgets whose content is Latin by nature (addresses, numbers): typed left to
# right, while hamseda.css keeps them aligned with the right-to-left form.
_LTR_INPUT_TYPES = frozenset({"email", "url", "tel", "number", "password"})

_CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def _merge_class(current: str | None, extra: str) -> str:
    classes = (current or "").split()
    for name in extra.split():
        if name not in classes:
            classes.append(name)
    return " ".join(classes)


@register.filter
def widget_type(field: BoundField) -> str:
    """The widget's short name, as Django spells it: ``text``, ``select``,
    ``checkbox``, ``radioselect``, ``clearablefile``, ..."""
    return field.widget_type if isinstance(field, BoundField) else ""


@register.filter
def is_checkbox(field: BoundField) -> bool:
    """True for a single on/off checkbox (not a list of choices)."""
    return isinstance(field, BoundField) and isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_list(field: BoundField) -> bool:
    """True for radio buttons or a list of checkboxes, drawn one option a line."""
    return isinstance(field, BoundField) and isinstance(
        field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
    )


@register.filter
def bs_class(field: BoundField) -> str:
    """The Bootstrap class the field's widget needs, plus ``is-invalid`` when
    the bound field has errors."""
    if not isinstance(field, BoundField):
        return ""
    widget = field.field.widget
    if isinstance(widget, _CHECK_WIDGETS):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple | forms.NullBooleanSelect):
        css = "form-select"
    elif getattr(widget, "input_type", "") == "range":
        css = "form-range"
    elif getattr(widget, "input_type", "") == "color":
        css = "form-control form-control-color"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return css


@register.filter
def add_class(field: BoundField | BoundWidget, css: str) -> SafeString | str:
    """Render a field (or one option of a radio/checkbox list) with ``css``
    added to the classes its widget already has.

    Latin-only inputs (email, url, tel, number, password) also get ``dir="ltr"``
    unless the widget sets a direction of its own.
    """
    if isinstance(field, BoundWidget):
        # One option of a RadioSelect/CheckboxSelectMultiple: its attrs dict is
        # built per render, so copying it is enough to leave the widget alone.
        option_attrs: dict[str, Any] = dict(field.data.get("attrs") or {})
        option_attrs["class"] = _merge_class(option_attrs.get("class"), css)
        option = BoundWidget(
            field.parent_widget, {**field.data, "attrs": option_attrs}, field.renderer
        )
        return option.tag(wrap_label=False)
    if not isinstance(field, BoundField):
        return str(field) if field is not None else ""
    widget = field.field.widget
    attrs: dict[str, Any] = {"class": _merge_class(widget.attrs.get("class"), css)}
    if getattr(widget, "input_type", "") in _LTR_INPUT_TYPES and "dir" not in widget.attrs:
        attrs["dir"] = "ltr"
    return field.as_widget(attrs=attrs)
