"""The shared page pieces (issue 17): the layouts' page head, the table wrapper, the region picker.

`{% capture as name %}...{% endcapture %}` renders its body once into a variable, so a layout can
leave out the wrapper of an optional block (lead, actions) that the page left empty.

`{% table %}...{% endtable %}` puts the page's own `<thead>`/`<tbody>` markup inside the responsive
wrapper and the `<table>` element; the rows stay in the page (hot list pages render them with their
own loop, nothing generic in between), `{% empty_row n text %}` is the row an empty `{% for %}` shows.

`{% region_picker regions region %}` is the one region selector (GET parameter `region`), for lists of
regions and for a form field's (value, label) choices alike.

The number and date filters (issue 21) are the template side of asnportal.ui.formatting, the one
formatting layer: `|num` (1.250 · 240,5), `|num:1`, `|qty` (2 berkas), `|fixed:4` (1,2250),
`|pct` (22,1%), `|share` (a 0.221 share as 22,1%), `|day` (7 Des 2026), `|moment` (7 Des 2026, 14.30),
`|month` (November 2026) and `{{ start|period:end }}` (1 Jan – 31 Des 2026). Pages use these instead
of `floatformat`, `|date:"Y-m-d"` or numbers formatted in Python.
"""

from django import template
from django.template.base import token_kwargs
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from asnportal.ui import formatting

register = template.Library()


@register.filter
def num(value, places=2):
    return formatting.number(value, int(places))


@register.filter
def qty(value):
    return formatting.quantity(value)


@register.filter
def fixed(value, places=2):
    return formatting.fixed(value, int(places))


@register.filter
def pct(value, places=1):
    return formatting.percent(value, int(places))


@register.filter
def share(value, places=1):
    return formatting.percent(value, int(places), ratio=True)


@register.filter
def day(value):
    return formatting.date(value)


@register.filter
def moment(value):
    return formatting.datetime(value)


@register.filter
def month(value):
    return formatting.month(value)


@register.filter
def period(start, end):
    return formatting.period(start, end)


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308  # nosec B308 B703 - rendered template output
        return ""


@register.tag
def capture(parser, token):
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


class TableNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, kwargs):
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context):
        opts = {key: value.resolve(context) for key, value in self.kwargs.items()}
        css = opts.get("class") or "table table-sm align-middle"
        label = opts.get("label")
        caption = opts.get("caption")
        wrapper = format_html(' tabindex="0" role="region" aria-label="{}"', label) if label else ""
        head = format_html('<div class="table-responsive"{}>\n<table class="{}">\n', wrapper, css)
        if caption:
            caption_css = opts.get("caption_class", "visually-hidden")
            head += format_html('<caption class="{}">{}</caption>\n', caption_css, caption)
        return head + self.nodelist.render(context) + mark_safe("\n</table>\n</div>")  # noqa: S308  # nosec B308 B703 - a constant


@register.tag
def table(parser, token):
    """{% table class="table table-sm" label=_("Scores") caption=_("...") %}<thead>…</tbody>{% endtable %}

    `label` makes the scrolling wrapper a named, focusable region (keyboard users can scroll it);
    `caption` names the table for screen readers (visually hidden unless `caption_class` says otherwise).
    """
    bits = token.split_contents()[1:]
    kwargs = token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError(f"table: unknown arguments {bits!r}")
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(nodelist, kwargs)


@register.simple_tag
def empty_row(colspan, text):
    """The row a table shows when its loop has nothing: one muted cell across every column."""
    return format_html('<tr><td colspan="{}" class="text-body-secondary">{}</td></tr>', colspan, text)


def _choice(item):
    if isinstance(item, list | tuple):
        return item[0], item[1]
    return item.pk, item.name


@register.inclusion_tag("components/region_picker.html")
def region_picker(regions, selected=None, *, bare=False, small=False, autosubmit=False, hidden=None):
    """The region selector: a GET form (or, with bare=True, only the labelled select for a form of the
    page's own) with `name="region"`; nothing when there is no choice to make (one region or none).

    `regions` is a list or queryset of regions or a field's (value, label) choices; `selected` a
    region or its pk; `hidden` a dict of other GET parameters the form keeps (for example the period).
    """
    options = [_choice(item) for item in regions or ()]
    selected_pk = getattr(selected, "pk", selected)
    return {
        "options": [
            (value, label, value not in ("", None) and str(value) == str(selected_pk))
            for value, label in options
        ],
        "show": len(options) > 1,
        "bare": bare,
        "small": small,
        "autosubmit": autosubmit,
        "hidden": sorted((hidden or {}).items()),
    }
