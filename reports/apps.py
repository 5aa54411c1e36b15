from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Отчёты")

    def ready(self):
        from . import access, access_archive  # noqa: F401 — registers the named predicates
