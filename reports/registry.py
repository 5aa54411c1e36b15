"""Every report kind: who may build it (docs/DESIGN.md §4), over what object, with which parameters."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from journal import roles as R

from .builders import attendance, control, journal_print, marks, movement, subject

CLASS, ASSIGNMENT, SCHOOL = "class", "assignment", "school"
PERIOD, MONTH, DAY, NONE = "period", "month", "day", ""
UP_TO = "up_to"  # an optional period: the sheet up to it; none, the whole year
STAFF = R.WHOLE_SCHOOL_READERS  # school-wide kinds: deputy and director
CLASS_STAFF = STAFF | {R.CLASS_TEACHER}
SUBJECT_STAFF = STAFF | {R.TEACHER}


@dataclass(frozen=True)
class Kind:
    code: str
    title: str
    scope: str  # CLASS: the class teacher of that class; ASSIGNMENT: its teacher; SCHOOL: staff
    roles: frozenset
    param: str
    build: object  # (obj, params) -> Report
    long: bool = False  # built by a Celery job, never inside a web request
    table: bool = True  # has an XLSX


KINDS = {
    k.code: k
    for k in [
        Kind(
            "attendance_month",
            _("Отчёт о посещаемости класса за месяц"),
            CLASS,
            CLASS_STAFF,
            MONTH,
            lambda k, p: attendance.class_attendance_month(k, p["month"].year, p["month"].month),
        ),
        Kind(
            "preliminary",
            _("Предварительный отчёт классного руководителя за период"),
            CLASS,
            CLASS_STAFF,
            PERIOD,
            lambda k, p: marks.class_period_report(k, p["period"], preliminary=True),
        ),
        Kind(
            "class_period",
            _("Отчёт классного руководителя за период"),
            CLASS,
            CLASS_STAFF,
            PERIOD,
            lambda k, p: marks.class_period_report(k, p["period"]),
        ),
        Kind(
            "class_results",
            _("Итоги успеваемости класса за период"),
            CLASS,
            CLASS_STAFF,
            PERIOD,
            lambda k, p: marks.class_results(k, p["period"]),
        ),
        Kind(
            "summary_marks",
            _("Сводная ведомость учёта успеваемости"),
            CLASS,
            CLASS_STAFF,
            UP_TO,
            lambda k, p: marks.summary_marks(k, up_to=p.get("period")),
        ),
        Kind(
            "summary_attendance",
            _("Сводная ведомость учёта посещаемости"),
            CLASS,
            CLASS_STAFF,
            NONE,
            lambda k, p: attendance.summary_attendance(k),
        ),
        Kind(
            "movement",
            _("Сводная ведомость учёта движения учащихся"),
            CLASS,
            CLASS_STAFF,
            NONE,
            lambda k, p: movement.class_movement(k),
        ),
        Kind(
            "pupil_results",
            _("Итоговые данные по учащимся"),
            CLASS,
            STAFF,
            PERIOD,
            lambda k, p: marks.pupil_results(k, p["period"]),
        ),
        Kind(
            "class_journal",
            _("Классный журнал для архива (печатная форма)"),
            CLASS,
            STAFF,
            PERIOD,
            lambda k, p: journal_print.class_journal(k, p["period"], progress=p.get("progress")),
            long=True,
            table=False,
        ),
        Kind(
            "subject_preliminary",
            _("Предварительный отчёт учителя за период"),
            ASSIGNMENT,
            SUBJECT_STAFF,
            PERIOD,
            lambda a, p: subject.subject_preliminary(a, p["period"]),
        ),
        Kind(
            "subject_results",
            _("Итоги успеваемости по предмету за период"),
            ASSIGNMENT,
            SUBJECT_STAFF,
            PERIOD,
            lambda a, p: subject.subject_results(a, p["period"]),
        ),
        Kind(
            "subject_summary",
            _("Сводная ведомость по предмету"),
            ASSIGNMENT,
            SUBJECT_STAFF,
            NONE,
            lambda a, p: subject.subject_summary(a),
        ),
        Kind(
            "journal_pages",
            _("Страницы журнала по предмету"),
            ASSIGNMENT,
            SUBJECT_STAFF,
            PERIOD,
            lambda a, p: journal_print.journal_pages(a, p["period"]),
        ),
        Kind(
            "movement_dynamics",
            _("Динамика движения обучающихся по школе"),
            SCHOOL,
            STAFF,
            NONE,
            lambda y, p: movement.movement_dynamics(y),
        ),
        Kind(
            "class_sizes",
            _("Наполняемость классов"),
            SCHOOL,
            STAFF,
            DAY,
            lambda y, p: movement.class_sizes(y, p["day"]),
        ),
        Kind(
            "control",
            _("Контрольный отчёт о ведении электронного журнала"),
            SCHOOL,
            STAFF,
            PERIOD,
            lambda y, p: control.control_report(y, p["period"]),
            long=True,  # 4–11 s over a school: never inside a request (docs/DESIGN.md §4.5)
        ),
        Kind(
            "school_summaries",
            _("Сводные ведомости успеваемости всех классов (архив)"),
            SCHOOL,
            STAFF,
            NONE,
            lambda y, p: marks.school_summaries(y, progress=p.get("progress")),
            long=True,
            table=False,
        ),
    ]
}


def kinds_for(scope):
    return [k for k in KINDS.values() if k.scope == scope]
