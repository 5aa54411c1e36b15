"""Named permission predicates: one registry that views, menus and templates share.

Each app's access.py defines its access rules as plain functions of the user (and,
for object rules, the object) and registers under a name the ones that menus and
templates ask (docs/DESIGN.md §5: every access decision goes through one place per
app), in the manner of AlekSIS's named rules:

    @predicate("set_period_marks")
    def can_set_period_marks(user, assignment) -> bool: ...

A view calls the function itself; a template asks by name through the `access`
template library (accounts/templatetags/access.py):

    {% load access %}
    {% if request.user|can:"read_reports" %}…{% endif %}
    {% can "set_period_marks" request.user assignment as may_set %}

An unknown name is an error, not a silent False: a typo in a menu fails its test.
"""

from collections.abc import Callable

_predicates: dict[str, Callable[..., bool]] = {}


def predicate(name: str):
    """Register the decorated function as the predicate `name` (the function is returned as is)."""

    def register(fn):
        known = _predicates.get(name)
        if known is not None and (known.__module__, known.__qualname__) != (fn.__module__, fn.__qualname__):
            raise ValueError(
                f"Two predicates named {name!r}: {known.__module__}.{known.__qualname__} and {fn.__module__}"
            )
        _predicates[name] = fn
        return fn

    return register


def get(name: str) -> Callable[..., bool]:
    try:
        return _predicates[name]
    except KeyError:
        raise LookupError(f"No permission predicate named {name!r}; known: {', '.join(sorted(_predicates))}") from None


def check(name: str, user, *objects) -> bool:
    """Does predicate `name` allow `user` (on `objects`)? Anonymous users are never allowed."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(get(name)(user, *objects))


def names() -> list[str]:
    return sorted(_predicates)
