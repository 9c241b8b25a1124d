from .nav import nav_items_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    return {"nav_items": nav_items_for(user) if user is not None else []}
