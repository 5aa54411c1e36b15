from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Люди и доступ")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import access, permissions, signals  # noqa: F401 — receivers and named predicates

        # A flush (tests) or a migration may recreate auth permissions with new ids.
        post_migrate.connect(lambda **kw: permissions.forget_permission_ids(), weak=False, dispatch_uid="perm_ids")
