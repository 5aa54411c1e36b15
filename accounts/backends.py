from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from ejournal import prepared


def _session_user(pk):
    return get_user_model()._default_manager.select_related("school").filter(pk=pk).order_by("pk")[:1]


class SchoolModelBackend(ModelBackend):
    """ModelBackend whose session user comes with the school: every page reads the
    school's rules and name, so this saves a query on each request. The query is
    compiled once per process (ejournal/prepared.py): every request runs it."""

    def get_user(self, user_id):
        if isinstance(user_id, int) and not isinstance(user_id, bool) and -(2**63) <= user_id < 2**63:
            user = prepared.first_object("accounts.session_user", _session_user, pk=user_id)
        else:
            user = _session_user(user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
