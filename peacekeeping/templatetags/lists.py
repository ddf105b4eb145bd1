"""The lists' column headers and filter drop-downs, written in Python.

A list page has a header per column and a drop-down per filter: as template includes
they cost ~0.1 ms each (a context pushed, a template looked up, a node per attribute),
about a tenth of the incident list's rendering. These tags write the same markup.

    {% load lists %}
    {% sort_header sort_headers.reference label %}            (css="num" for numbers)
    {% filter_select "filter-type" "incident_type" label choices selected %}
                                                               (empty_label="Any ...")
    {{ rows|rows_html }}                                       (rows rendered in Python)
"""

from html import escape

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()

_ARROWS = {
    "ascending": ' <span aria-hidden="true">▲</span>',
    "descending": ' <span aria-hidden="true">▼</span>',
}


@register.simple_tag
def sort_header(header, label="", css=""):
    """A column header that sorts the list (peacekeeping.sorting.Sorting.headers): a
    link to the same query string with the sort set, aria-sort on the sorted column.
    Without a header, the plain label."""
    attrs = f' class="{escape(css)}"' if css else ""
    if not header:
        return SafeString(f'<th scope="col"{attrs}>{esc(label)}</th>')
    aria = header.aria_sort
    if aria:
        attrs += f' aria-sort="{escape(aria)}"'
    return SafeString(
        f'<th scope="col"{attrs}><a href="{escape(header.url)}" data-sort-link>'
        f"{esc(header.label)}{_ARROWS.get(aria, '')}</a></th>"
    )


@register.simple_tag
def filter_select(id, name, label, choices, selected="", empty_label=""):  # noqa: A002
    """One drop-down of a filter form: a first option "All" (or `empty_label`), then
    `choices` ((value, text) pairs), the one equal to `selected` selected."""
    options = [f'<option value="">{esc(empty_label or gettext("All"))}</option>']
    for value, text in choices:
        mark = " selected" if selected == value else ""
        options.append(f'<option value="{esc(value)}"{mark}>{esc(text)}</option>')
    return SafeString(
        f'<div><label for="{esc(id)}">{esc(label)}</label>'
        f'<select id="{esc(id)}" name="{esc(name)}">{"".join(options)}</select></div>'
    )


@register.filter
def rows_html(rows) -> SafeString:
    """The rows' markup, each row's `html` (built and escaped in Python, as
    incidents.listing.html_rows does), one after the other: one template node for a
    table body rather than one a row."""
    return SafeString("\n".join(row["html"] for row in rows))
