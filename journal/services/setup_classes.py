"""A year's classes, their curriculum (учебный план: subject × hours) and their loads
(нагрузка: class or group × subject × teacher), set up by the administrator (issue 15
point 5; docs/DESIGN.md §2.1). See setup_common for what every function here does.

A class teacher and a load's teacher get their object permissions (`lead_class`,
`fill_journal`) from the save through journal/signals.py, as with journal/services/links.py;
a load's save also queues the lesson sync (its lessons appear once it is in the timetable,
and go — the future ones without records — when it ends)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from accounts import audit

from .. import access
from ..models import (
    AcademicYear,
    CurriculumLine,
    Enrollment,
    Group,
    Room,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
)
from . import setup_common as C
from .errors import ServiceError

CLASS_FIELDS = ["year", "grade", "letter", "class_teacher", "period_scheme", "room"]
LINE_FIELDS = ["school_class", "subject", "hours_per_week", "hours_per_year"]
HOURS_PER_WEEK_MAX = Decimal("40")
HOURS_PER_YEAR_MAX = 1500


def teaching_weeks(grade: int) -> int:
    """Teaching weeks of a school year: 33 in grade 1, 34 above (ФГОС НОО/ООО)."""
    return 33 if grade == 1 else 34


def _locked(actor, model, pk, path):
    obj = model.objects.select_for_update(of=("self",)).filter(pk=pk, **{path: actor.school_id}).first()
    if obj is None:
        raise ServiceError(_("Запись не найдена."), code="not_found")
    return obj


def _open(year: AcademicYear):
    if year.is_closed:
        raise ServiceError(_("Учебный год %(name)s закрыт: его не меняют.") % {"name": year.name}, code="closed")


def _staff(school_id, pk, *, required, label):
    if not pk:
        if required:
            raise ServiceError(_("Выберите: %(what)s.") % {"what": label}, code="required")
        return None
    person = access.school_staff(school_id).filter(pk=pk).first()
    if person is None:
        raise ServiceError(_("Выберите сотрудника школы из списка."), code="bad_teacher")
    return person


# --- classes -------------------------------------------------------------------------------


def _check_class(year, grade, letter, class_teacher_id, period_scheme, room_id, pk=None):
    _open(year)
    if grade is None or not 1 <= grade <= 11:
        raise ServiceError(_("Параллель — число от 1 до 11."), code="bad_grade")
    letter = C.text(letter, label=_("литера класса"), limit=4).upper()
    if period_scheme not in StudyPeriod.Scheme.values or period_scheme == StudyPeriod.Scheme.YEAR:
        raise ServiceError(_("Класс делится на четверти, полугодия или триместры, а не на год."), code="bad_scheme")
    if SchoolClass.objects.filter(year=year, grade=grade, letter__iexact=letter).exclude(pk=pk).exists():
        raise ServiceError(
            _("Класс %(klass)s в учебном году %(year)s уже есть.") % {"klass": f"{grade}{letter}", "year": year.name},
            code="duplicate",
        )
    teacher = _staff(year.school_id, class_teacher_id, required=False, label=_("классный руководитель"))
    room = None
    if room_id:
        room = Room.objects.filter(pk=room_id, school_id=year.school_id).first()
        if room is None:
            raise ServiceError(_("Выберите кабинет из списка."), code="bad_room")
    return letter, teacher, room


def create_class(
    actor, *, year_id, grade, letter, class_teacher_id=None, period_scheme="quarter", room_id=None, now=None
) -> SchoolClass:
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        year = _locked(actor, AcademicYear, year_id, "school_id")
        letter, teacher, room = _check_class(year, grade, letter, class_teacher_id, period_scheme, room_id)
        klass = C.create(
            actor,
            SchoolClass(
                year=year, grade=grade, letter=letter, class_teacher=teacher, period_scheme=period_scheme, room=room
            ),
            action="setup.class_create",
            fields=CLASS_FIELDS,
        )
        return klass


def change_class(
    actor, *, class_id, grade, letter, class_teacher_id=None, period_scheme, room_id=None, now=None
) -> SchoolClass:
    """A class's name, class teacher (`lead_class` moves with it), periods or room."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        klass = _locked(actor, SchoolClass, class_id, "year__school_id")
        year = AcademicYear.objects.get(pk=klass.year_id)
        letter, teacher, room = _check_class(year, grade, letter, class_teacher_id, period_scheme, room_id, klass.pk)
        C.change(
            actor,
            klass,
            {"grade": grade, "letter": letter, "class_teacher": teacher, "period_scheme": period_scheme, "room": room},
            action="setup.class_change",
            fields=CLASS_FIELDS,
        )
        return klass


def delete_class(actor, *, class_id, now=None):
    """A class without pupils, curriculum and loads goes."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        klass = _locked(actor, SchoolClass, class_id, "year__school_id")
        if (
            Enrollment.objects.filter(school_class=klass).exists()
            or TeachingAssignment.objects.filter(school_class=klass).exists()
            or CurriculumLine.objects.filter(school_class=klass).exists()
        ):
            raise ServiceError(
                _("В классе %(klass)s есть ученики, учебный план или нагрузка: удалить его нельзя.") % {"klass": klass},
                code="in_use",
            )
        C.delete(
            actor, klass, action="setup.class_delete", before=C.state(klass, CLASS_FIELDS),
            refusal=_("На класс ссылаются другие записи: удалить его нельзя."),
        )  # fmt: skip


# --- the curriculum --------------------------------------------------------------------------


def _hours(klass, per_week, per_year):
    if per_week is None or per_week <= 0:
        raise ServiceError(_("Число часов в неделю должно быть больше нуля."), code="bad_hours")
    if per_week > HOURS_PER_WEEK_MAX or per_week != per_week.quantize(Decimal("0.1")):
        raise ServiceError(
            _("Часов в неделю — не больше %(max)s, с одним знаком после запятой.") % {"max": HOURS_PER_WEEK_MAX},
            code="bad_hours",
        )
    if per_year is None:
        per_year = int((per_week * teaching_weeks(klass.grade)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if not 1 <= per_year <= HOURS_PER_YEAR_MAX:
        raise ServiceError(_("Часов в год — от 1 до %(max)s.") % {"max": HOURS_PER_YEAR_MAX}, code="bad_hours")
    return per_year


def create_line(actor, *, class_id, subject_id, hours_per_week, hours_per_year=None, now=None) -> CurriculumLine:
    """A subject of a class's curriculum; hours per year by default from the teaching weeks."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        klass = _locked(actor, SchoolClass, class_id, "year__school_id")
        _open(AcademicYear.objects.get(pk=klass.year_id))
        subject = Subject.objects.filter(pk=subject_id, school_id=actor.school_id).first()
        if subject is None:
            raise ServiceError(_("Выберите предмет из списка."), code="bad_subject")
        if CurriculumLine.objects.filter(school_class=klass, subject=subject).exists():
            raise ServiceError(
                _("Предмет «%(subject)s» уже есть в учебном плане %(klass)s: измените его строку.")
                % {"subject": subject, "klass": klass},
                code="duplicate",
            )
        per_year = _hours(klass, hours_per_week, hours_per_year)
        line = C.create(
            actor,
            CurriculumLine(school_class=klass, subject=subject, hours_per_week=hours_per_week, hours_per_year=per_year),
            action="setup.curriculum_create",
            fields=LINE_FIELDS,
        )
        return line


def change_line(actor, *, line_id, hours_per_week, hours_per_year=None, now=None) -> CurriculumLine:
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        line = _locked(actor, CurriculumLine, line_id, "school_class__year__school_id")
        klass = line.school_class
        _open(klass.year)
        per_year = _hours(klass, hours_per_week, hours_per_year)
        C.change(
            actor,
            line,
            {"hours_per_week": hours_per_week, "hours_per_year": per_year},
            action="setup.curriculum_change",
            fields=LINE_FIELDS,
        )
        return line


def delete_line(actor, *, line_id, now=None):
    """A curriculum line without an active load of its subject goes."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        line = _locked(actor, CurriculumLine, line_id, "school_class__year__school_id")
        _open(line.school_class.year)
        loads = TeachingAssignment.objects.filter(
            school_class_id=line.school_class_id, subject_id=line.subject_id, is_active=True
        )
        if loads.exists():
            raise ServiceError(
                _("По предмету «%(subject)s» в %(klass)s есть нагрузка: сначала снимите её.")
                % {"subject": line.subject, "klass": line.school_class},
                code="in_use",
            )
        C.delete(
            actor, line, action="setup.curriculum_delete", before=C.state(line, LINE_FIELDS),
            refusal=_("На строку учебного плана ссылаются другие записи: удалить её нельзя."),
        )  # fmt: skip


# --- loads (нагрузка) --------------------------------------------------------------------------


def load_state(a: TeachingAssignment) -> dict:
    return {
        "teacher": a.teacher_id,
        "class": a.school_class_id,
        "group": a.group_id,
        "subject": a.subject_id,
        "is_active": a.is_active,
    }


def create_load(actor, *, class_id, subject_id, teacher_id, group_id=None, now=None) -> TeachingAssignment:
    """A journal: the class (or one of its groups) × a subject of its curriculum × a teacher."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        klass = _locked(actor, SchoolClass, class_id, "year__school_id")
        _open(AcademicYear.objects.get(pk=klass.year_id))
        subject = Subject.objects.filter(pk=subject_id, school_id=actor.school_id).first()
        if subject is None:
            raise ServiceError(_("Выберите предмет из списка."), code="bad_subject")
        if not CurriculumLine.objects.filter(school_class=klass, subject=subject).exists():
            raise ServiceError(
                _("Предмета «%(subject)s» нет в учебном плане %(klass)s: сначала добавьте его в учебный план.")
                % {"subject": subject, "klass": klass},
                code="not_in_curriculum",
            )
        group = None
        if group_id:
            group = Group.objects.filter(pk=group_id, school_class=klass).first()
            if group is None:
                raise ServiceError(_("Выберите группу этого класса."), code="bad_group")
        teacher = _staff(actor.school_id, teacher_id, required=True, label=_("учитель"))
        same = TeachingAssignment.objects.filter(school_class=klass, subject=subject).select_related("group")
        for other in same:
            if other.group_id == (group.pk if group else None):
                raise ServiceError(
                    _("Такая нагрузка уже есть (%(load)s): смените в ней учителя.") % {"load": other},
                    code="duplicate",
                )
            if not other.group_id or not group:
                raise ServiceError(
                    _(
                        "По предмету «%(subject)s» уже есть нагрузка %(load)s: весь класс и его группы не ведут один предмет в двух журналах."
                    )
                    % {"subject": subject, "load": other},
                    code="mixed",
                )
        load = C.save(TeachingAssignment(school_class=klass, subject=subject, group=group, teacher=teacher))
        audit.record(
            actor=actor, action="structure.assignment_create", obj=load, school=actor.school_id,
            after=load_state(load),
        )  # fmt: skip
        return load


def _locked_load(actor, load_id) -> TeachingAssignment:
    load = _locked(actor, TeachingAssignment, load_id, "school_class__year__school_id")
    _open(load.school_class.year)
    return load


def change_load_teacher(actor, *, load_id, teacher_id, now=None) -> TeachingAssignment:
    """Hand a journal to another teacher: the old one loses `fill_journal`, the new one gets it."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        load = _locked_load(actor, load_id)
        teacher = _staff(actor.school_id, teacher_id, required=True, label=_("учитель"))
        if teacher.pk == load.teacher_id:
            raise ServiceError(_("Этот журнал и так ведёт %(name)s.") % {"name": teacher.short_name}, code="unchanged")
        before = load_state(load)
        load.teacher = teacher
        load.save(update_fields=["teacher"])
        audit.record(
            actor=actor, action="structure.assignment_teacher", obj=load, school=actor.school_id, before=before,
            after=load_state(load),
        )  # fmt: skip
        return load


def set_load_active(actor, *, load_id, active: bool, now=None) -> TeachingAssignment:
    """End a load (its journal stays with everything in it; the future lessons without
    records go with the next sync) or take it up again."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        load = _locked_load(actor, load_id)
        if load.is_active == active:
            raise ServiceError(_("Нагрузка и так действует.") if active else _("Нагрузка уже снята."), code="unchanged")
        if (
            active
            and not CurriculumLine.objects.filter(
                school_class_id=load.school_class_id, subject_id=load.subject_id
            ).exists()
        ):
            raise ServiceError(
                _("Предмета «%(subject)s» нет в учебном плане %(klass)s: сначала добавьте его в учебный план.")
                % {"subject": load.subject, "klass": load.school_class},
                code="not_in_curriculum",
            )
        before = load_state(load)
        load.is_active = active
        load.save(update_fields=["is_active"])
        audit.record(
            actor=actor, action="structure.assignment_active", obj=load, school=actor.school_id, before=before,
            after=load_state(load),
        )  # fmt: skip
        return load
