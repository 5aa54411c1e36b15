from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from ejournal import prepared

# Annotations the session's user is loaded with, registered by an app that derives facts
# from them (journal's roles: journal/apps.py): a function of the moment giving expressions.
_session_facts = []


def register_session_facts(build) -> None:
    if build not in _session_facts:
        _session_facts.append(build)


def _session_user(pk, now):
    qs = get_user_model()._default_manager.select_related("school").filter(pk=pk).order_by("pk")
    for build in _session_facts:
        qs = qs.annotate(**build(now))
    return qs[:1]


class SchoolModelBackend(ModelBackend):
    """ModelBackend whose session user comes with the school: every page reads the
    school's rules and name, so this saves a query on each request, and so do the facts
    other apps register (the roles the menu shows). The query is
    compiled once per process (ejournal/prepared.py): every request runs it."""

    def get_user(self, user_id):
        if isinstance(user_id, int) and not isinstance(user_id, bool) and -(2**63) <= user_id < 2**63:
            user = prepared.first_object("accounts.session_user", _session_user, pk=user_id, now=timezone.now())
        else:
            user = _session_user(user_id, timezone.now()).first()
        return user if user is not None and self.user_can_authenticate(user) else None
