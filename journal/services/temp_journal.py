"""Outages and the temporary (paper) journal (docs/DESIGN.md §3.7).

During an outage teachers keep attendance and marks on a printed blank form of the
class's day. Afterwards the filled form is typed into a CSV/XLSX (the blank's XLSX
twin has the rows ready), checked in a preview, and written through the ordinary
entry services. Lessons that locked meanwhile are written under an explicit
LockOverride whose reason names the outage and the paper date; the transfer itself
is flagged late when done after `school.temp_journal_days` working days from the
end of the outage.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts import audit
from ejournal import params, xlsx

from .. import access, rules
from ..calendar import add_working_days, school_holiday_ranges
from ..models import Assessment, Attendance, Homework, Lesson, Mark, Outage, SchoolClass, TempJournalImport, WorkType
from ..tabular import find_header, normalize_header, read_table
from .corrections import class_pupils_on
from .entries import allowed_mark_values, set_attendance, set_mark
from .errors import NotAllowed, ServiceError
from .limits import clean_text
from .overrides import LockOverride

# Header texts a filled form may carry, matched against the user's file (plus the blank's own
# headers in the current language, see _aliases()).
ALIASES = {  # i18n: data
    "bell": ("урок", "номер урока", "n урока"),
    "subject": ("предмет",),
    "pupil": ("ученик", "фио", "обучающийся"),
    "pupil_id": ("id", "ид", "код ученика"),
    "attendance": ("посещ", "пропуск"),
    "mark": ("отметка", "оценка"),
    "topic": ("тема",),
    "homework": ("домашнее", "дз", "д/з"),
}
HEADERS = [
    gettext_lazy("Урок"),
    gettext_lazy("Предмет"),
    gettext_lazy("Ученик"),
    "ID",
    gettext_lazy("Посещаемость"),
    gettext_lazy("Отметка"),
    pgettext_lazy("lesson", "Тема"),
    gettext_lazy("Домашнее задание"),
]


def _aliases():
    """ALIASES and the blank's headers as translated now, so a blank printed in English reads back."""
    return {
        fld: (*names, normalize_header(str(header)))
        for (fld, names), header in zip(ALIASES.items(), HEADERS, strict=True)
    }


# --- outages ------------------------------------------------------------------------------


def _check_manager(actor):
    if not access.can_manage_outages(actor):
        raise NotAllowed(_("Сбой отмечают заместитель директора и администратор ЭЖ."))


def create_outage(actor, *, start, end=None, reason) -> Outage:
    _check_manager(actor)
    reason = clean_text(reason, max_length=Outage._meta.get_field("reason").max_length, field=_("Причина"))
    if not reason:
        raise ServiceError(_("Опишите сбой."), code="reason_required")
    _check_moments(start, end)
    if end is not None and end <= start:
        raise ServiceError(_("Окончание сбоя должно быть позже начала."), code="bad_range")
    if start > timezone.now():
        raise ServiceError(_("Начало сбоя не может быть в будущем."), code="future")
    with audit.chain(actor.school_id):
        outage = Outage.objects.create(school_id=actor.school_id, start=start, end=end, reason=reason, created_by=actor)
        audit.record(actor=actor, action="outage.create", obj=outage, after=_outage_state(outage), reason=reason)
        return outage


def close_outage(actor, *, outage_id, end) -> Outage:
    _check_manager(actor)
    with audit.chain(actor.school_id):
        outage = Outage.objects.select_for_update().filter(pk=outage_id, school_id=actor.school_id).first()
        if outage is None:
            raise NotAllowed(_("Сбой не найден."))
        _check_moments(end)
        if end <= outage.start:
            raise ServiceError(_("Окончание сбоя должно быть позже начала."), code="bad_range")
        before = _outage_state(outage)
        outage.end = end
        outage.save(update_fields=["end"])
        audit.record(actor=actor, action="outage.close", obj=outage, before=before, after=_outage_state(outage))
        return outage


def _check_moments(*moments):
    """1900–2100: a year-1 moment would be stored as a date BC (docs/DESIGN.md §3.24)."""
    if any(m is not None and not params.in_range(m) for m in moments):
        raise ServiceError(params.DATE_RANGE_MESSAGE, code="date_range")


def _outage_state(o) -> dict:
    return {"start": o.start, "end": o.end, "reason": o.reason}


def transfer_due_date(outage: Outage, year=None) -> date | None:
    """The last working day on which the paper journal may be transferred in time."""
    if outage.end is None:
        return None
    ranges = school_holiday_ranges(year) if year is not None else []
    return add_working_days(timezone.localtime(outage.end).date(), outage.school.temp_journal_days, ranges)


def outage_days(outage: Outage, now=None) -> tuple[date, date]:
    end = outage.end or now or timezone.now()
    return timezone.localtime(outage.start).date(), timezone.localtime(end).date()


# --- the blank form -------------------------------------------------------------------------


def class_day_lessons(school_class: SchoolClass, day: date):
    return list(
        Lesson.objects.filter(assignment__school_class=school_class, date=day)
        .exclude(status=Lesson.Status.CANCELLED)
        .select_related("assignment__subject", "assignment__teacher", "assignment__group", "bell")
        .order_by("bell__number", "assignment__subject__name")
    )


def blank_rows(school_class: SchoolClass, day: date):
    """[(lesson, [pupils])] for the printed form and its XLSX twin."""
    return [(lesson, list(class_pupils_on(lesson.assignment, day))) for lesson in class_day_lessons(school_class, day)]


def blank_xlsx(school_class: SchoolClass, day: date) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = f"{school_class} {day:%d.%m.%Y}"
    xlsx.row(ws, [str(h) for h in HEADERS])
    for lesson, pupils in blank_rows(school_class, day):
        subject = lesson.assignment.subject.name
        xlsx.row(ws, [lesson.bell.number, subject, "", "", "", "", "", ""])
        for p in pupils:
            xlsx.row(ws, [lesson.bell.number, subject, p.full_name, p.pk, "", "", "", ""])
    for col, width in zip("ABCDEFGH", (7, 22, 34, 8, 14, 10, 40, 40), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- parsing the filled form -----------------------------------------------------------------


@dataclass
class TempEntry:
    row: int
    lesson_id: int
    lesson_label: str
    pupil_id: int | None = None
    pupil_name: str = ""
    attendance: str = ""
    mark: str = ""
    topic: str = ""
    homework: str = ""


@dataclass
class TempParse:
    entries: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def as_session(self):
        return [asdict(e) for e in self.entries]


def _name_key(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").replace(".", ". ").split())  # i18n: data (spelling normalisation)


def check_paper_date(outage: Outage, paper_date: date, now=None):
    first, last = outage_days(outage, now)
    if not first <= paper_date <= last:
        raise ServiceError(
            _("Дата во временном журнале %(date)s вне сбоя (%(first)s–%(last)s).")
            % {"date": f"{paper_date:%d.%m.%Y}", "first": f"{first:%d.%m.%Y}", "last": f"{last:%d.%m.%Y}"},
            code="bad_paper_date",
        )
    if paper_date > timezone.localdate():
        raise ServiceError(_("Дата во временном журнале не может быть в будущем."), code="bad_paper_date")


def parse_temp_file(actor, uploaded, *, outage: Outage, school_class: SchoolClass, paper_date: date) -> TempParse:
    check_paper_date(outage, paper_date)
    table = read_table(uploaded)
    header_at, columns = find_header(table, _aliases(), ("bell", "pupil"))
    if header_at is None:
        raise ServiceError(
            _(
                "Не найдена строка заголовка: нужны столбцы «Урок» и «Ученик» "
                "(а также «Посещаемость», «Отметка», «Тема», «Домашнее задание»)."
            ),
            code="no_header",
        )
    school = school_class.year.school
    lessons = class_day_lessons(school_class, paper_date)
    if not lessons:
        raise ServiceError(
            _("У %(class)s класса %(date)s нет уроков.") % {"class": school_class, "date": f"{paper_date:%d.%m.%Y}"},
            code="no_lessons",
        )
    by_bell: dict[int, list] = {}
    for lesson in lessons:
        by_bell.setdefault(lesson.bell.number, []).append(lesson)
    deputy = access.is_deputy(actor)
    pupils_of = {lesson.pk: list(class_pupils_on(lesson.assignment, paper_date)) for lesson in lessons}
    result = TempParse()
    lesson_texts: dict[tuple[int, str], tuple[str, int]] = {}

    def cell(cells, fld):
        col = columns.get(fld)
        return cells[col].strip() if col is not None and col < len(cells) else ""

    for row_no, cells in table[header_at + 1 :]:
        problems = []
        bell_text, subject_text = cell(cells, "bell"), cell(cells, "subject")
        lesson = None
        try:
            candidates = by_bell.get(int(float(bell_text.replace(",", "."))), [])
        except (ValueError, OverflowError):  # OverflowError: "inf", "1e999"
            candidates = []
            problems.append(_("«%(text)s» — не номер урока") % {"text": bell_text})
        if bell_text and len(candidates) > 1 and subject_text:
            candidates = [
                c for c in candidates if normalize_header(c.assignment.subject.name) == normalize_header(subject_text)
            ]
        if not problems:
            if not candidates:
                problems.append(
                    _("у класса нет урока № %(bell)s %(subject)s в этот день")
                    % {"bell": bell_text, "subject": subject_text}
                )
            elif len(candidates) > 1:
                problems.append(_("урок № %(bell)s: укажите предмет (их несколько)") % {"bell": bell_text})
            else:
                lesson = candidates[0]
                if subject_text and normalize_header(subject_text) != normalize_header(lesson.assignment.subject.name):
                    problems.append(
                        _("урок № %(bell)s — это %(subject)s, а не «%(text)s»")
                        % {"bell": bell_text, "subject": lesson.assignment.subject.name, "text": subject_text}
                    )
                    lesson = None
                elif not deputy and not access.can_write_lesson(actor, lesson):
                    problems.append(
                        _("урок № %(bell)s (%(subject)s) ведёт другой учитель")
                        % {"bell": bell_text, "subject": lesson.assignment.subject.name}
                    )
                    lesson = None
        pupil = None
        name, id_text = cell(cells, "pupil"), cell(cells, "pupil_id")
        if lesson is not None and (name or id_text):
            pupils = pupils_of[lesson.pk]
            if id_text:
                pupil = next((p for p in pupils if str(p.pk) == id_text.split(".")[0]), None)
                if pupil is None:
                    problems.append(_("ученик с ID %(id)s не числится на этом уроке") % {"id": id_text})
                elif name and _name_key(name) not in (_name_key(pupil.full_name), _name_key(pupil.short_name)):
                    problems.append(
                        _("ID %(id)s — это %(pupil)s, а не «%(name)s»")
                        % {"id": id_text, "pupil": pupil.full_name, "name": name}
                    )
                    pupil = None
            else:
                found = [p for p in pupils if _name_key(name) in (_name_key(p.full_name), _name_key(p.short_name))]
                if len(found) == 1:
                    pupil = found[0]
                elif not found:
                    problems.append(_("ученик «%(name)s» не найден в списке урока") % {"name": name})
                else:
                    problems.append(_("учеников «%(name)s» несколько — укажите ID") % {"name": name})
        attendance = cell(cells, "attendance").lower()
        mark = cell(cells, "mark").lower()
        if mark.endswith(".0"):
            mark = mark[:-2]
        topic, homework = cell(cells, "topic"), cell(cells, "homework")
        if attendance and attendance not in Attendance.Code.values:
            problems.append(_("«%(code)s» — посещаемость: Н, Б, УП, НП или ОП") % {"code": attendance})
        if (attendance or mark) and lesson is not None and pupil is None and not (name or id_text):
            problems.append(_("посещаемость и отметки — только в строке ученика"))
        if mark and lesson is not None:
            if not rules.marks_allowed(school_class, school):
                problems.append(_("в 1 классе отметки не выставляются"))
            else:
                allowed = allowed_mark_values(lesson.assignment.subject, school)
                if mark not in allowed:
                    problems.append(
                        _("«%(mark)s» — недопустимая отметка (можно: %(allowed)s)")
                        % {"mark": mark, "allowed": ", ".join(sorted(allowed, reverse=True))}
                    )
        if lesson is not None and pupil is not None:
            existing_att = Attendance.objects.filter(lesson=lesson, pupil=pupil).first()
            # The paper's «Н» for an absence whose reason the class teacher has set is the
            # same absence (docs/DESIGN.md §3.5): nothing to correct.
            same_absence = (
                attendance == Attendance.Code.ABSENT and existing_att is not None and existing_att.reason_set_by_id
            )
            if attendance and existing_att and existing_att.code != attendance and not same_absence:
                problems.append(
                    _("в журнале уже стоит «%(code)s» — исправьте в журнале")
                    % {"code": existing_att.get_code_display()}
                )
            existing_mark = (
                Mark.objects.filter(assessment__lesson=lesson, pupil=pupil).order_by("assessment__position").first()
            )
            if mark and existing_mark and existing_mark.value != mark:
                problems.append(
                    _("в журнале уже стоит отметка «%(mark)s» — исправьте в журнале") % {"mark": existing_mark.value}
                )
        for text, limit, label in (
            (topic, Lesson._meta.get_field("topic").max_length, _("Тема урока")),
            (homework, Homework.TEXT_MAX, _("Домашнее задание")),
        ):
            try:
                params.parse_text(text, max_length=limit, field=label)
            except params.BadValue as exc:
                problems.append(exc.message.rstrip("."))
        for fld, text in (("topic", topic), ("homework", homework)):
            if text and lesson is not None:
                seen = lesson_texts.get((lesson.pk, fld))
                if seen and seen[0] != text:
                    if fld == "topic":
                        problems.append(_("другая тема, чем в строке %(row)s") % {"row": seen[1]})
                    else:
                        problems.append(_("другое домашнее задание, чем в строке %(row)s") % {"row": seen[1]})
                else:
                    lesson_texts[(lesson.pk, fld)] = (text, row_no)
        if problems:
            result.errors.append(_("Строка %(row)s: %(problems)s.") % {"row": row_no, "problems": "; ".join(problems)})
            continue
        if not (attendance or mark or topic or homework):
            continue  # a pupil present without a mark: nothing to write
        result.entries.append(
            TempEntry(
                row=row_no,
                lesson_id=lesson.pk,
                lesson_label=f"{lesson.bell.number}. {lesson.assignment.subject.name}",
                pupil_id=pupil.pk if pupil else None,
                pupil_name=pupil.full_name if pupil else "",
                attendance=attendance,
                mark=mark,
                topic=topic,
                homework=homework,
            )
        )
    if not result.entries and not result.errors:
        result.errors.append(_("В файле нет ни одной записи под строкой заголовка."))
    return result


# --- writing it ---------------------------------------------------------------------------------


def _write_if_changed(actor, model, write, cell, field, value, context):
    """Copy a paper value into its cell through `write` (set_mark, set_attendance) unless the
    cell already holds it; the version read here guards against a concurrent edit."""
    current = model.objects.filter(**cell).first()
    if model is Attendance and current is not None and current.reason_set_by_id and value == Attendance.Code.ABSENT:
        return  # the paper's «Н» is already there, with the class teacher's reason (docs/DESIGN.md §3.5)
    if current is None or getattr(current, field) != value:
        write(actor, **cell, **{field: value}, expected_version=current.version if current else 0, **context)


def _first_assessment(actor, lesson, school, reason) -> Assessment:
    existing = lesson.assessments.order_by("position").first()
    if existing:
        return existing
    wt = WorkType.objects.filter(school=school).order_by("order", "name").first()
    if wt is None:
        raise ServiceError(_("В школе не заданы виды работ: отметку некуда записать."), code="no_work_types")
    a = Assessment.objects.create(lesson=lesson, work_type=wt, weight=wt.weight, position=1)
    audit.record(
        actor=actor,
        action="assessment.create",
        obj=a,
        school=school,
        after={"lesson": lesson.pk, "work_type": wt.pk, "weight": a.weight},
        reason=reason,
    )
    return a


def apply_import(
    actor, *, outage_id, school_class_id, paper_date: date, entries: list[dict], file_name="", now=None
) -> TempJournalImport:
    """Write the previewed entries; all or nothing."""
    now = now or timezone.now()
    with audit.chain(actor.school_id):
        outage = Outage.objects.select_related("school").filter(pk=outage_id, school_id=actor.school_id).first()
        klass = (
            SchoolClass.objects.select_related("year__school")
            .filter(pk=school_class_id, year__school_id=actor.school_id)
            .first()
        )
        if outage is None or klass is None:
            raise NotAllowed()
        check_paper_date(outage, paper_date, now)
        if not entries:
            raise ServiceError(_("Нечего переносить."), code="empty")
        school = klass.year.school
        reason = _(
            "Перенос из временного журнала: сбой № %(outage)s (%(reason)s), %(class)s класс, запись от %(date)s"
        ) % {"outage": outage.pk, "reason": outage.reason, "class": klass, "date": f"{paper_date:%d.%m.%Y}"}
        lesson_ids = {e["lesson_id"] for e in entries}
        lessons = {
            lesson.pk: lesson
            for lesson in Lesson.objects.select_related(
                "assignment__school_class__year__school", "assignment__subject"
            ).filter(pk__in=lesson_ids, assignment__school_class=klass, date=paper_date)
        }
        if set(lessons) != lesson_ids:
            raise ServiceError(_("Урок не относится к этому классу и дню."), code="bad_lesson")
        deputy = access.is_deputy(actor)
        for lesson in lessons.values():
            if not deputy and not access.can_write_lesson(actor, lesson):
                raise NotAllowed(_("Урок %(lesson)s ведёт другой учитель.") % {"lesson": lesson})
        override = LockOverride(reason=reason, lesson_ids=frozenset(lesson_ids), on_behalf=deputy)
        locked = sorted(pk for pk, lesson in lessons.items() if rules.is_locked(lesson, school, now))
        written = 0
        for e in entries:
            lesson = lessons[e["lesson_id"]]
            context = {"reason": reason, "now": now, "override": override}
            if e.get("attendance"):
                cell = {"lesson_id": lesson.pk, "pupil_id": e["pupil_id"]}
                _write_if_changed(actor, Attendance, set_attendance, cell, "code", e["attendance"], context)
                written += 1
            if e.get("mark"):
                a = _first_assessment(actor, lesson, school, reason)
                cell = {"assessment_id": a.pk, "pupil_id": e["pupil_id"]}
                _write_if_changed(actor, Mark, set_mark, cell, "value", e["mark"], context)
                written += 1
            if e.get("topic") and lesson.topic != e["topic"]:
                _set_topic(actor, lesson, e["topic"], school, reason, now)
                written += 1
            if e.get("homework"):
                _set_homework(actor, lesson, e["homework"], school, reason, now)
                written += 1
        due = transfer_due_date(outage, klass.year)
        imp = TempJournalImport.objects.create(
            outage=outage,
            school_class=klass,
            paper_date=paper_date,
            file_name=file_name[:200],
            imported_by=actor,
            entries=written,
            # While the outage goes on there is no deadline yet: a transfer then is early, not late.
            is_late=due is not None and timezone.localtime(now).date() > due,
        )
        audit.record(
            actor=actor,
            action="temp_journal.import",
            obj=imp,
            school=school,
            after={
                "outage": outage.pk,
                "class": klass.pk,
                "paper_date": paper_date,
                "entries": written,
                "lessons": sorted(lesson_ids),
                "lock_overridden": locked,
                "is_late": imp.is_late,
            },
            reason=reason,
        )
        return imp


def _set_topic(actor, lesson, text, school, reason, now):
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    before = {"topic": lesson.topic}
    lesson.topic, lesson.topic_set_at = text[:500], now
    lesson.topic_late = now > rules.entry_deadline(lesson, school)
    lesson.version += 1
    lesson.save(update_fields=["topic", "topic_set_at", "topic_late", "version"])
    audit.record(
        actor=actor,
        action="lesson.topic",
        obj=lesson,
        school=school,
        before=before,
        after={"topic": lesson.topic, "is_late": lesson.topic_late},
        reason=reason,
    )


def _set_homework(actor, lesson, text, school, reason, now):
    if not rules.homework_allowed(lesson.assignment.school_class, school):
        raise ServiceError(_("В 1 классе домашние задания не задаются."), code="no_homework_grade")
    hw = Homework.objects.select_for_update().filter(lesson=lesson).first()
    before = {"text": hw.text} if hw else None
    if hw and hw.text == text:
        return
    if hw is None:
        hw = Homework(lesson=lesson, text=text, is_late=True)
    hw.text = text
    hw.is_late = True
    hw.save()
    audit.record(
        actor=actor,
        action="homework.set",
        obj=hw,
        school=school,
        before=before,
        after={"lesson": lesson.pk, "text": text, "is_late": True},
        reason=reason,
    )
