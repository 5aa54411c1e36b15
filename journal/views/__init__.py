"""Views of the journal, thin: resolve objects through journal.access, call services, render."""

from .home import home

__all__ = ["home"]
