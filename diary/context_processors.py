from functools import partial

from .access import unread_count


def unread(request):
    """The nav's unread counter; a callable, so pages without the nav run no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"diary_unread": partial(unread_count, user)}
