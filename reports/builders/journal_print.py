"""The printed journal: a subject's pages for a period, and the full class journal (archive)."""

from collections import defaultdict

from django.utils.translation import gettext as _

from journal import rules
from journal.averages import weighted_average
from journal.models import Assessment, Attendance, Lesson

from ..document import LANDSCAPE, PORTRAIT, Column, Facts, Paragraph, Part, Report, Row, Table
from . import common as C
from .marks import ClassMarks, summary_sheet_part
from .subject import assignment_line, teacher_signature

CODE_LABEL = dict(Attendance.Code.choices)


class JournalData:
    """Lessons, works, marks and attendance of a class for a period: five queries in all."""

    def __init__(self, klass, period, assignment=None):
        lessons = Lesson.objects.filter(
            assignment__school_class=klass, date__gte=period.start, date__lte=period.end
        ).order_by("date", "bell__number")
        if assignment is not None:
            lessons = lessons.filter(assignment=assignment)
        self.lessons = defaultdict(list)  # assignment id → [lesson dict]
        for row in lessons.values(
            "id", "assignment_id", "date", "bell__number", "topic", "topic_late", "status", "homework__text"
        ):
            self.lessons[row["assignment_id"]].append(row)
        works = Assessment.objects.filter(lesson__assignment__school_class=klass, lesson__date__gte=period.start)
        works = works.filter(lesson__date__lte=period.end)
        if assignment is not None:
            works = works.filter(lesson__assignment=assignment)
        self.works = defaultdict(list)  # lesson id → [work type names]
        for lesson_id, name in works.order_by("position").values_list("lesson_id", "work_type__name"):
            self.works[lesson_id].append(name)
        self.marks = defaultdict(list)  # (lesson id, pupil id) → [value]
        self.weighted = defaultdict(list)  # (assignment id, pupil id) → [(value, weight)]
        for pupil_id, _s, aid, value, weight, _d, lesson_id in C.current_marks(
            [klass], period.start, period.end, assignment
        ):
            self.marks[(lesson_id, pupil_id)].append(value)
            self.weighted[(aid, pupil_id)].append((value, weight))
        self.attendance = {
            (lesson_id, pupil_id): code
            for pupil_id, code, _d, lesson_id, _a in C.attendance([klass], period.start, period.end, assignment)
        }


def journal_parts(a, period, data: JournalData, enrol, period_marks) -> list[Part]:
    """Two printed parts of one journal: the marks grid, then the lessons' topics and homework."""
    lessons = [lesson for lesson in data.lessons.get(a.pk, []) if lesson["status"] == Lesson.Status.PLANNED]
    columns = C.pupil_columns()
    columns += [
        Column(f"{lesson['date'].day:02d}", group=C.month_name(lesson["date"].month), width="mark")
        for lesson in lessons
    ]
    # The year's pages of a class with exams end with the exam and final marks (docs/DESIGN.md §4.6).
    kinds = C.year_kinds(a.school_class, period)
    columns += [
        Column(_("Ср. взв."), group=_("Итог"), width="num"),
        *[
            Column(C.Slot(period, k).short, group=_("Итог"), width="mark", print_label=C.Slot(period, k).abbr)
            for k in kinds
        ],
    ]
    grid = Table(columns=columns, key_columns=2)
    for i, e in enumerate(enrol, 1):
        cells = []
        for lesson in lessons:
            parts = list(data.marks.get((lesson["id"], e.pupil_id), []))
            code = data.attendance.get((lesson["id"], e.pupil_id))
            if code:
                parts.insert(0, CODE_LABEL[code])
            enrolled = e.covers(lesson["date"])
            cells.append("/".join(parts) if enrolled else "×")
        grid.rows.append(
            Row(
                [i, e.pupil.full_name]
                + cells
                + [
                    weighted_average(data.weighted.get((a.pk, e.pupil_id), [])),
                    *[C.mark_for(period_marks, e.pupil_id, a.subject_id, period, k) for k in kinds],
                ],
                "muted" if e.end and e.end < period.end else "",
            )
        )
    lines = Table(
        columns=[
            Column(_("Дата"), width="date"),
            Column(_("Урок"), width="num"),
            Column(_("Тема урока"), width="wide"),
            Column(_("Вид работы"), width="wide"),
            Column(_("Домашнее задание"), width="wide"),
        ]
    )
    for lesson in data.lessons.get(a.pk, []):
        topic = lesson["topic"] or ""
        if lesson["status"] == Lesson.Status.CANCELLED:
            topic = _("Урок отменён")
        elif lesson["topic_late"]:
            topic += " " + _("(внесено с опозданием)")
        lines.rows.append(
            Row(
                [
                    lesson["date"],
                    lesson["bell__number"],
                    topic,
                    ", ".join(data.works.get(lesson["id"], [])),
                    lesson["homework__text"] or "",
                ]
            )
        )
    # Held: planned and its day's cut-off passed (docs/DESIGN.md §4.3); the lessons still
    # ahead in a running period are in the grid but not counted.
    school, now = period.year.school, C.now()
    held = sum(1 for lesson in lessons if rules.at(lesson["date"], school.entry_cutoff) <= now)
    subtitle = [assignment_line(a), C.period_line(period)]
    return [
        Part(
            title=_("Учёт успеваемости и посещаемости"),
            subtitle=subtitle,
            blocks=[
                grid,
                Paragraph(
                    _(
                        "Н — отсутствовал, Б — болел, УП — уважительная причина, НП — без уважительной причины, ОП — опоздал; × — не числился в классе."
                    ),
                    "legend",
                ),
            ],
            orientation=LANDSCAPE,
            sheet=_("%(subject)s отм") % {"subject": (a.subject.short_name or a.subject.name)[:24]},
        ),
        Part(
            title=_("Содержание уроков"),
            subtitle=subtitle,
            blocks=[lines, Facts([(_("Проведено уроков"), held)])],
            orientation=PORTRAIT,
            signatures=[teacher_signature(a), C.deputy_signature()],
            sheet=_("%(subject)s темы") % {"subject": (a.subject.short_name or a.subject.name)[:24]},
        ),
    ]


def journal_pages(a, period) -> Report:
    """Страницы журнала по предмету за период."""
    klass = a.school_class
    js = C.journals([klass], assignment=a, start=period.start, end=period.end)
    enrol = js.journal_enrollments(a, C.enrollments([klass], period.start, period.end).get(klass.pk, []))
    pm = C.period_marks([e.pupil_id for e in enrol], [a.subject_id], klass.year)
    parts = journal_parts(a, period, JournalData(klass, period, a), enrol, pm)
    return Report(
        kind="journal_pages",
        title=_("Классный журнал: страницы предмета"),
        school_name=klass.year.school.full_name,
        built_at=C.now(),
        parts=parts,
        filename=f"zhurnal-{klass.grade}{klass.letter}-{a.subject_id}",
    )


def class_journal(klass, period, *, today=None, progress=None) -> Report:
    """The full printed class journal for a period: title page, pupil list, every subject, summaries."""
    school = klass.year.school
    js = C.journals([klass], start=period.start, end=period.end)
    enrol = C.enrollments([klass], period.start, period.end).get(klass.pk, [])
    data = JournalData(klass, period)
    pupil_ids = [e.pupil_id for e in enrol]
    assignments = sorted(
        js.by_class.get(klass.pk, []), key=lambda a: (a.subject.order, a.subject.name, a.group_id or 0)
    )
    pm = C.period_marks(pupil_ids, {a.subject_id for a in assignments}, klass.year)
    title = Part(
        title=_("Классный журнал"),
        subtitle=[C.class_line(klass), C.period_line(period)],
        blocks=[
            Facts(
                [
                    (_("Образовательная организация"), school.full_name),
                    (_("Адрес"), school.address or "—"),
                    (_("Класс"), str(klass)),
                    (_("Учебный год"), klass.year.name),
                    (_("Классный руководитель"), klass.class_teacher.full_name if klass.class_teacher_id else "—"),
                    (_("Предметов (журналов)"), len(assignments)),
                    (_("Учеников на конец периода"), len(C.on_date(enrol, period.end))),
                ]
            )
        ],
        orientation=PORTRAIT,
        sheet=_("Титул"),
    )
    pupils = Table(
        title=_("Список обучающихся"),
        columns=[
            Column("№", width="idx"),
            Column(_("Фамилия, имя, отчество"), width="name"),
            Column(_("Дата рождения"), width="date"),
            Column(_("Зачислен"), width="date"),
            Column(_("Выбыл"), width="date"),
        ],
    )
    for i, e in enumerate(enrol, 1):
        pupils.rows.append(Row([i, e.pupil.full_name, e.pupil.birth_date, e.start, e.end]))
    title.blocks.append(pupils)
    parts = [title]
    total = len(assignments) + 1
    for i, a in enumerate(assignments, 1):
        parts += journal_parts(a, period, data, js.journal_enrollments(a, enrol), pm)
        if progress:
            progress(i, total)
    marks = ClassMarks([klass], klass.year.start, klass.year.end)
    parts.append(summary_sheet_part(klass, marks, C.year_slots(klass), today))
    last = Part(
        title=_("Заверение журнала"),
        subtitle=[C.class_line(klass), C.period_line(period)],
        blocks=[
            Paragraph(
                _(
                    "Журнал выведен на печать из электронного журнала, проверен и заверен. "
                    "Записи электронного журнала имеют силу записей бумажного журнала."
                )
            )
        ],
        orientation=PORTRAIT,
        signatures=[C.class_teacher_signature(klass), C.deputy_signature(), C.Signature(_("Директор"))],
        sheet=_("Заверение"),
    )
    parts.append(last)
    if progress:
        progress(total, total)
    return Report(
        kind="class_journal",
        title=_("Классный журнал"),
        school_name=school.full_name,
        built_at=C.now(),
        parts=parts,
        filename=f"klassnyj-zhurnal-{klass.grade}{klass.letter}-{period.pk}",
    )
