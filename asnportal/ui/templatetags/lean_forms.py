"""Form fields rendered with crispy-bootstrap5's markup, built in Python (issue: scale).

`{{ field|as_crispy_field }}` renders a field through five to ten nested templates (field.html,
help_text_and_errors.html, attrs.html per radio option, Django's select_option.html per option...);
on the public survey that was 80% of the page's time. `{{ field|lean_field }}` and
`{{ form|lean_form }}` emit the same elements, attributes and classes for the plain widgets (text-like
inputs, textarea, select, radio group, checkbox) and hand anything else (files, multi-widgets,
custom widget templates) to crispy unchanged. tests/accounts/test_lean_forms.py compares both
outputs field by field.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "date", "search", "tel", "checkbox")
)
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"
_RADIO = "django/forms/widgets/radio.html"


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {escape(name)}")
        else:
            out.append(f' {escape(name)}="{escape(str(value))}"')
    return "".join(out)


def _widget_html(bf: BoundField) -> str:
    """The widget as Django's own templates would render it (`str(bf)`), without the template engine."""
    widget = bf.field.widget
    template_name = widget.template_name
    if template_name not in _INPUT_TEMPLATES and template_name not in (_SELECT, _TEXTAREA):
        return str(bf)
    attrs = bf.build_widget_attrs({}, widget)
    if bf.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bf.auto_id)
    ctx = widget.get_context(bf.html_name, bf.value(), attrs)["widget"]
    name = escape(ctx["name"])
    if template_name == _TEXTAREA:
        value = ctx["value"]
        body = conditional_escape(value) if value else ""
        return f'<textarea name="{name}"{_attrs(ctx["attrs"])}>\n{body}</textarea>'
    if template_name == _SELECT:
        parts = [f'<select name="{name}"{_attrs(ctx["attrs"])}>']
        for group_name, options, _index in ctx["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                if option["template_name"] != _OPTION:
                    return str(bf)
                parts.append(
                    f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
    value = ctx["value"]
    value_attr = f' value="{escape(str(value))}"' if value is not None else ""
    return f'<input type="{escape(ctx["type"])}" name="{name}"{value_attr}{_attrs(ctx["attrs"])}>'


def _add_classes(bf: BoundField, classes: str) -> None:
    """What crispy's {% crispy_field field 'class' '...' %} does to the widget before rendering it."""
    widget = bf.field.widget
    class_name = widget.__class__.__name__.lower()
    css = widget.attrs.get("class", "")
    if css:
        if css.find(class_name) == -1:
            css += f" {class_name}"
    else:
        css = class_name
    for extra in classes.split():
        if extra not in css.split():
            css += f" {extra}"
    widget.attrs["class"] = css


def _errors_block(bf: BoundField, errors) -> list[str]:
    """field_errors_block.html."""
    if not errors:
        return []
    return [
        f'<div id="{escape(errors.field_id)}_error" class="invalid-feedback">',
        *(
            f'<p id="error_{n}_{bf.auto_id}"><strong>{conditional_escape(error)}</strong></p>'
            for n, error in enumerate(errors, 1)
        ),
        "</div>",
    ]


def _help_text(bf: BoundField) -> list[str]:
    """help_text.html (the help text is trusted HTML there too)."""
    if not bf.help_text:
        return []
    id_attr = f'id="{bf.auto_id}_helptext" ' if bf.auto_id else ""
    return [f'<div {id_attr}class="form-text">{bf.help_text}</div>']


def _help_and_errors(bf: BoundField, errors) -> list[str]:
    """help_text_and_errors.html with crispy's defaults: errors as a block, then the help text."""
    return _errors_block(bf, errors) + _help_text(bf)


def _radio_group(bf: BoundField, errors) -> list[str]:
    """radio_checkbox_select.html: one form-check per option, errors under the last one."""
    widget = bf.field.widget
    id_ = widget.attrs.get("id") or bf.auto_id
    attrs = bf.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(bf.html_name, widget.format_value(bf.value()), attrs)
    invalid = " is-invalid" if errors else ""
    name = escape(bf.html_name)
    out = ["<div>"]
    for g, (group, options, _index) in enumerate(groups):
        if group:
            out.append(f"<strong>{conditional_escape(group)}</strong>")
        for i, option in enumerate(options):
            out.append(
                f'<div class="form-check"><input type="{option["type"]}" class="form-check-input{invalid}"'
                f' name="{name}" value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f'<label for="{escape(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{conditional_escape(option['label'])}</label>"
            )
            if i == len(options) - 1 and g == len(groups) - 1:
                out.extend(_errors_block(bf, errors))
            out.append("</div>")
    out.append("</div>")
    return out + _help_text(bf)


def _leanable(bf: BoundField) -> bool:
    widget = bf.field.widget
    if getattr(bf.form, "helper", None) is not None or isinstance(widget, forms.MultiWidget):
        return False
    if isinstance(widget, forms.RadioSelect):
        return type(widget) is forms.RadioSelect and widget.template_name == _RADIO
    if isinstance(widget, forms.CheckboxInput):
        return True
    if isinstance(widget, (forms.FileInput, forms.SelectMultiple)):
        return False
    return widget.template_name in _INPUT_TEMPLATES or widget.template_name in (_SELECT, _TEXTAREA)


def render_field(bf: BoundField) -> SafeString:
    """crispy-bootstrap5's field.html (as |as_crispy_field calls it) for the plain widgets."""
    if not _leanable(bf):
        return as_crispy_field(bf)
    if bf.is_hidden:
        return mark_safe(str(bf))  # noqa: S308  # nosec B308 B703 - Django's own widget output
    widget = bf.field.widget
    errors = bf.errors
    css = f" {bf.css_classes()}" if bf.css_classes() else ""
    invalid = " is-invalid" if errors else ""
    if isinstance(widget, forms.CheckboxInput):
        return _checkbox_field(bf, css=css, invalid=invalid)
    out = [f'<div id="div_{bf.auto_id}" class="mb-3{css}">', *_field_label(bf)]
    if isinstance(widget, forms.RadioSelect):
        out.extend(_radio_group(bf, errors))
    else:
        base = "form-select" if isinstance(widget, forms.Select) else "form-control"
        _add_classes(bf, f"{base}{invalid}")
        out.append(_widget_html(bf))
        out.extend(_help_and_errors(bf, errors))
    if bf.use_fieldset and bf.label:
        out.append("</fieldset>")
    out.append("</div>")
    return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703 - every value escaped above


def _label_parts(bf: BoundField) -> tuple[str, str, str]:
    """(escaped label, required marker, requiredField class) of a field."""
    required = bf.field.required
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    label = conditional_escape(bf.label) if bf.label else ""
    return label, asterisk, " requiredField" if required else ""


def _checkbox_field(bf: BoundField, *, css: str, invalid: str) -> SafeString:
    label, asterisk, required_cls = _label_parts(bf)
    _add_classes(bf, f"form-check-input{invalid}")
    out = [f'<div class="mb-3"><div id="div_{bf.auto_id}" class="form-check{css}">', _widget_html(bf)]
    out.append(
        f'<label for="{bf.id_for_label}" class="form-check-label{required_cls}">{label}{asterisk}</label>'
    )
    out.extend(_help_and_errors(bf, bf.errors))
    out.append("</div></div>")
    return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703 - every value escaped above


def _field_label(bf: BoundField) -> list[str]:
    """The field's <label>, or the opening <fieldset> and its <legend> for a fieldset widget."""
    if not bf.label:
        return []
    label, asterisk, required_cls = _label_parts(bf)
    if bf.use_fieldset:
        described = bf.aria_describedby
        return [
            f'<fieldset aria-describedby="{described}">' if described else "<fieldset>",
            f'<legend class="form-label{required_cls} fs-6">{label}{asterisk}</legend>',
        ]
    for_attr = f'for="{bf.id_for_label}" ' if bf.id_for_label else ""
    return [f'<label {for_attr}class="form-label{required_cls}">{label}{asterisk}</label>']


@register.filter
def lean_field(bf: BoundField) -> SafeString:
    return render_field(bf)


@register.filter
def lean_form(form) -> SafeString:
    """crispy's `|crispy` (uni_form.html) for a form without a helper: error alert, then each field."""
    if getattr(form, "helper", None) is not None:
        return as_crispy_form(form)
    out = [str(form.media)]
    non_field = form.non_field_errors()
    if non_field:
        items = "".join(f"<li>{conditional_escape(e)}</li>" for e in non_field)
        out.append(f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>')
    out.extend(render_field(bf) for bf in form)
    return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703 - every value escaped above
