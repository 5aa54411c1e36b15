"""Human-readable lines about violations, shared by the pages and the e-mails.

Callers load the violations with `DESCRIBE_RELATED` so that describing a list
costs no query per row.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Violation

K = Violation.Kind

DESCRIBE_RELATED = (
    "lesson__bell",
    "assignment__subject",
    "assignment__group",
    "school_class",
    "pupil",
    "period",
    "assessment__work_type",
    "responsible",
)


def _pupils(n):
    return ngettext("у %(n)d ученика", "у %(n)d учеников", n) % {"n": n}


def where(v: Violation) -> str:
    """Class (group) · subject · date and lesson number, as far as the violation has them."""
    parts = []
    if v.assignment_id and v.assignment.group_id:
        parts.append(str(v.assignment.group))
    elif v.school_class_id:
        parts.append(str(v.school_class))
    if v.assignment_id:
        parts.append(str(v.assignment.subject))
    if v.pupil_id:
        parts.append(v.pupil.short_name)
    if v.lesson_id:
        parts.append(_("%(date)s, %(n)s-й урок") % {"date": f"{v.lesson.date:%d.%m.%Y}", "n": v.lesson.bell.number})
    elif v.period_id:
        parts.append(str(v.period))
    elif v.day:
        parts.append(f"{v.day:%d.%m.%Y}")
    return " · ".join(parts)


def what(v: Violation) -> str:
    d = v.details or {}
    if v.kind in (K.LESSON_UNFILLED, K.LESSON_LOCKED):
        missing = []
        if d.get("no_topic"):
            missing.append(_("нет темы"))
        if d.get("no_attendance"):
            missing.append(_("не отмечена посещаемость"))
        text = ", ".join(missing) or _("урок не заполнен")
        return _("урок закрыт: %(m)s") % {"m": text} if v.kind == K.LESSON_LOCKED else text
    if v.kind == K.HOMEWORK_MISSING:
        return _("не внесено домашнее задание")
    if v.kind == K.TEST_MARKS:
        name = v.assessment.work_type.name if v.assessment_id else _("контрольная работа")
        return _("«%(work)s»: нет отметок %(who)s") % {"work": name, "who": _pupils(d.get("missing", 0))}
    if v.kind == K.PERIOD_MARKS_DUE:
        return _("последняя неделя периода: нет итоговых отметок %(who)s, срок — %(date)s") % {
            "who": _pupils(d.get("missing", 0)),
            "date": f"{v.day:%d.%m.%Y}",
        }
    if v.kind == K.PERIOD_MARKS_OVERDUE:
        return _("итоговые отметки не выставлены %(who)s (срок был %(date)s)") % {
            "who": _pupils(d.get("missing", 0)),
            "date": f"{v.day:%d.%m.%Y}",
        }
    if v.kind == K.FEW_MARKS:
        return _("отметок: %(n)s, для аттестации нужно не менее %(min)s") % {
            "n": d.get("marks", 0),
            "min": d.get("min"),
        }
    if v.kind == K.ABSENCE_REASON:
        n = d.get("lessons", 1)
        return ngettext(
            "пропуск без указанной причины (%(n)d урок)", "пропуск без указанной причины (%(n)d уроков)", n
        ) % {"n": n}
    if v.kind == K.PLAN_HOURS:
        return _("в КТП %(plan)s ч., по учебному плану %(curriculum)s ч.") % {
            "plan": d.get("plan_hours", 0),
            "curriculum": d.get("curriculum_hours", 0),
        }
    if v.kind == K.TEMP_JOURNAL:
        return _("данные временного журнала не перенесены (сбой %(start)s — %(end)s)") % {
            "start": d.get("outage_start", ""),
            "end": d.get("outage_end", ""),
        }
    return v.get_kind_display()


def describe(v: Violation) -> str:
    place = where(v)
    return f"{place}: {what(v)}" if place else what(v)


def violation_url(v: Violation) -> str:
    return reverse("journal:violation", kwargs={"pk": v.pk})


def lesson_url(lesson_id) -> str | None:
    """The lesson's own page when the journal has one (issue 4), else None."""
    try:
        return reverse("journal:lesson", kwargs={"pk": lesson_id})
    except NoReverseMatch:
        return None
