"""The nightly audit check and the daily anchor (docs/ARCHIVE.md "Audit chain").

A damaged chain or an anchor the database no longer matches is announced to the
school's administrators and director (journal.alerts); problems of the anchor file
itself, or of events without a school, to those of every school.
"""

import logging
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import anchors
from accounts.audit import verify_chain
from accounts.models import School
from journal import alerts

log = logging.getLogger(__name__)


def anchor_audit(source="daily"):
    return anchors.append(source=source)


def verify_audit() -> list[tuple]:
    """Check every chain and the anchors; notify about each damaged one. Returns the problems."""
    problems = [(s, e, why) for s, e, why in verify_chain(all_schools=True)]
    problems += anchors.check()
    if not problems:
        return []
    by_school = defaultdict(list)
    for school_id, event_id, why in problems:
        log.error("audit trail: school %s, event %s: %s", school_id, event_id, why)
        by_school[school_id].append((event_id, why))
    title = _("Журнал аудита повреждён: записи изменены или удалены")
    with transaction.atomic():
        for school_id, items in by_school.items():
            lines = [
                _("Проверка целостности журнала аудита обнаружила нарушения:"),
                *[
                    (_("запись №%(id)s: %(why)s") % {"id": eid, "why": why}) if eid else f"• {why}"
                    for eid, why in items
                ],
                "",
                _("Сообщите администратору сервера; проверка: manage.py verify_audit"),
            ]
            body = "\n".join(lines)
            school = School.objects.filter(pk=school_id).first() if school_id else None
            if school:
                alerts.notify_heads(school, title, body)
            else:
                alerts.notify_all_schools(title, body)
    return problems
