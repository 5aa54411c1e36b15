from django.utils.functional import SimpleLazyObject

from .access import unread_counts


def unread(request):
    """The nav's unread counters (messages, notifications): one query, and only on pages
    that show the nav."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": SimpleLazyObject(lambda: unread_counts(user))}
