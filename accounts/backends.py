from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class SchoolModelBackend(ModelBackend):
    """ModelBackend whose session user comes with the school: every page reads the
    school's rules and name, so this saves a query on each request."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("school").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
