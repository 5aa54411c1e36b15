"""Views of the journal, thin: resolve objects through journal.access, call services, render.

One module per subject, each with its pattern list in journal/urls.py: home, grid
(the journal of an assignment, cells, period marks), lesson (the lesson page and
one view per form on it), people, plans (КТП), corrections, substitutions,
absences, outages, notifications, control. common holds the helpers they share.
"""

from .home import home

__all__ = ["home"]
