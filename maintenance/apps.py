from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    name = "maintenance"
    verbose_name = _("Резервные копии и целостность")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import roles

        # After every `migrate` (run as the owner): the runtime role's privileges.
        post_migrate.connect(roles.grant_after_migrate, sender=self, dispatch_uid="maintenance_grants")
