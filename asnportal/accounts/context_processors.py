from django.utils.functional import SimpleLazyObject

from .nav import nav_groups, nav_items_for


def navigation(request) -> dict:
    """The menu, built only when a template shows it (htmx fragments do not), with the current entry
    marked here rather than by two comparisons per entry in base.html.

    `nav_groups` is the same menu grouped by area (one dropdown per area) when it is long, so an HR
    officer's twenty entries fit one line at 1280 px (issue 21); a short menu stays flat."""
    user = getattr(request, "user", None)

    def items() -> list[dict]:
        if user is None:
            return []
        match = getattr(request, "resolver_match", None)
        current = match.view_name if match is not None else None
        return [{**item, "active": item["name"] == current} for item in nav_items_for(user)]

    menu = SimpleLazyObject(items)
    return {"nav_items": menu, "nav_groups": SimpleLazyObject(lambda: nav_groups(list(menu)))}
