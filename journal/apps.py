from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = _("Журнал")

    def ready(self):
        from accounts import backends, scopes

        from . import access, reverters, roles, signals

        signals.connect()
        signals.connect_lesson_sync()
        scopes.register_people_scope(access.managed_people_q)
        scopes.register_class_filter(access.people_class_options, access.people_class_q)
        reverters.register()
        backends.register_session_facts(roles.session_user_facts)
