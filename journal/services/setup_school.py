"""The school's bells, rooms and subjects, set up by the administrator (issue 15 point 5;
docs/DESIGN.md §2.1). See setup_common for what every function here does; a bell's save
moves the lessons through the model signal (journal/signals.py: lesson_sync on commit).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import audit

from ..models import Bell, CurriculumLine, Lesson, Mark, Room, SchoolClass, Subject, TeachingAssignment, TimetableEntry
from . import setup_common as C
from .errors import ServiceError

BELL_FIELDS = ["number", "starts", "ends"]
ROOM_FIELDS = ["number", "name"]
SUBJECT_FIELDS = ["name", "short_name", "order", "assessment"]
BELLS_MAX = 12


def _locked(actor, model, pk):
    obj = model.objects.select_for_update().filter(pk=pk, school_id=actor.school_id).first()
    if obj is None:
        raise ServiceError(_("Запись не найдена."), code="not_found")
    return obj


# --- bells ---------------------------------------------------------------------------------


def _hm(t) -> str:
    return f"{t:%H:%M}"


def _check_bell(school_id, number, starts, ends, pk=None):
    if number is None or not 1 <= number <= BELLS_MAX:
        raise ServiceError(_("Номер урока — от 1 до %(max)s.") % {"max": BELLS_MAX}, code="bad_number")
    if starts is None or ends is None:
        raise ServiceError(_("Укажите начало и окончание урока."), code="bad_time")
    if ends <= starts:
        raise ServiceError(_("Урок должен заканчиваться позже, чем начинается."), code="bad_time")
    others = list(Bell.objects.filter(school_id=school_id).exclude(pk=pk).order_by("number"))
    for other in others:
        if other.number == number:
            raise ServiceError(
                _("%(n)s урок уже есть в расписании звонков (%(from)s–%(to)s).")
                % {"n": number, "from": _hm(other.starts), "to": _hm(other.ends)},
                code="duplicate",
            )
    for other in others:
        if starts < other.ends and other.starts < ends:
            raise ServiceError(
                _("Время урока пересекается с %(n)s уроком (%(from)s–%(to)s).")
                % {"n": other.number, "from": _hm(other.starts), "to": _hm(other.ends)},
                code="overlap",
            )
        if (other.number < number) != (other.starts < starts):
            raise ServiceError(
                _("Уроки идут по порядку номеров: %(n)s урок должен начинаться %(where)s %(m)s урока (%(from)s).")
                % {
                    "n": number,
                    "where": _("после") if other.number < number else _("до"),
                    "m": other.number,
                    "from": _hm(other.starts),
                },
                code="order",
            )


def create_bell(actor, *, number, starts, ends, now=None) -> Bell:
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        _check_bell(actor.school_id, number, starts, ends)
        bell = C.create(
            actor,
            Bell(school_id=actor.school_id, number=number, starts=starts, ends=ends),
            action="setup.bell_create",
            fields=BELL_FIELDS,
        )
        return bell


def change_bell(actor, *, bell_id, number, starts, ends, now=None) -> Bell:
    """New times (or number) of a bell: its lessons keep their bell and so move with it."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        bell = _locked(actor, Bell, bell_id)
        _check_bell(actor.school_id, number, starts, ends, pk=bell.pk)
        C.change(
            actor,
            bell,
            {"number": number, "starts": starts, "ends": ends},
            action="setup.bell_change",
            fields=BELL_FIELDS,
        )
        return bell


def delete_bell(actor, *, bell_id, now=None):
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        bell = _locked(actor, Bell, bell_id)
        if TimetableEntry.objects.filter(bell=bell).exists() or Lesson.objects.filter(bell=bell).exists():
            raise ServiceError(
                _("На %(n)s уроке стоят уроки расписания или журнала: удалить звонок нельзя, измените его время.")
                % {"n": bell.number},
                code="in_use",
            )
        C.delete(
            actor, bell, action="setup.bell_delete", before=C.state(bell, BELL_FIELDS),
            refusal=_("На звонок ссылаются другие записи: удалить его нельзя."),
        )  # fmt: skip


# --- rooms ---------------------------------------------------------------------------------


def _check_room(school_id, number, name, pk=None):
    number = C.text(number, label=_("номер кабинета"), limit=20)
    name = C.text(name, label=_("название кабинета"), limit=100, required=False)
    if Room.objects.filter(school_id=school_id, number__iexact=number).exclude(pk=pk).exists():
        raise ServiceError(_("Кабинет %(n)s уже есть.") % {"n": number}, code="duplicate")
    return number, name


def create_room(actor, *, number, name="", now=None) -> Room:
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        number, name = _check_room(actor.school_id, number, name)
        room = C.create(
            actor,
            Room(school_id=actor.school_id, number=number, name=name),
            action="setup.room_create",
            fields=ROOM_FIELDS,
        )
        return room


def change_room(actor, *, room_id, number, name="", now=None) -> Room:
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        room = _locked(actor, Room, room_id)
        number, name = _check_room(actor.school_id, number, name, pk=room.pk)
        C.change(actor, room, {"number": number, "name": name}, action="setup.room_change", fields=ROOM_FIELDS)
        return room


def delete_room(actor, *, room_id, now=None):
    """A room no timetable line, lesson or class names goes (they would lose it silently)."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        room = _locked(actor, Room, room_id)
        used = (
            TimetableEntry.objects.filter(room=room).exists()
            or Lesson.objects.filter(room=room).exists()
            or SchoolClass.objects.filter(room=room).exists()
        )
        if used:
            raise ServiceError(
                _("Кабинет %(n)s указан в расписании, в уроках или у класса: удалить его нельзя.") % {"n": room.number},
                code="in_use",
            )
        C.delete(
            actor, room, action="setup.room_delete", before=C.state(room, ROOM_FIELDS),
            refusal=_("На кабинет ссылаются другие записи: удалить его нельзя."),
        )  # fmt: skip


# --- subjects ------------------------------------------------------------------------------


def _check_subject(school_id, name, short_name, order, assessment, pk=None):
    name = C.text(name, label=_("название предмета"), limit=120)
    short_name = C.text(short_name, label=_("сокращение"), limit=30, required=False)
    if order is None or not 0 <= order <= 999:
        raise ServiceError(_("Порядок в ведомостях — число от 0 до 999."), code="bad_order")
    if assessment not in Subject.Assessment.values:
        raise ServiceError(_("Выберите систему оценивания."), code="bad_assessment")
    same = Subject.objects.filter(school_id=school_id).exclude(pk=pk).filter(Q(name__iexact=name)).first()
    if same is not None:
        raise ServiceError(_("Предмет «%(name)s» уже есть.") % {"name": same.name}, code="duplicate")
    return name, short_name


def create_subject(actor, *, name, short_name="", order=100, assessment=Subject.Assessment.NUMERIC, now=None):
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        name, short_name = _check_subject(actor.school_id, name, short_name, order, assessment)
        subject = C.create(
            actor,
            Subject(school_id=actor.school_id, name=name, short_name=short_name, order=order, assessment=assessment),
            action="setup.subject_create",
            fields=SUBJECT_FIELDS,
        )
        return subject


def change_subject(actor, *, subject_id, name, short_name="", order=100, assessment, now=None) -> Subject:
    """A subject's name, order or grading; the grading is fixed once it holds marks
    (docs/DESIGN.md §3.12: a «5» is no «зач»)."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        subject = _locked(actor, Subject, subject_id)
        name, short_name = _check_subject(actor.school_id, name, short_name, order, assessment, pk=subject.pk)
        if (
            assessment != subject.assessment
            and Mark.objects.filter(assessment__lesson__assignment__subject=subject).exists()
        ):
            raise ServiceError(
                _("По предмету «%(name)s» уже есть отметки: систему оценивания изменить нельзя.")
                % {"name": subject.name},
                code="has_marks",
            )
        C.change(
            actor,
            subject,
            {"name": name, "short_name": short_name, "order": order, "assessment": assessment},
            action="setup.subject_change",
            fields=SUBJECT_FIELDS,
        )
        return subject


def delete_subject(actor, *, subject_id, now=None):
    """A subject no curriculum line or load names goes."""
    C.require_admin(actor)
    with audit.chain(actor.school_id):
        subject = _locked(actor, Subject, subject_id)
        if (
            CurriculumLine.objects.filter(subject=subject).exists()
            or TeachingAssignment.objects.filter(subject=subject).exists()
        ):
            raise ServiceError(
                _("Предмет «%(name)s» есть в учебном плане или в нагрузке: удалить его нельзя.")
                % {"name": subject.name},
                code="in_use",
            )
        C.delete(
            actor, subject, action="setup.subject_delete", before=C.state(subject, SUBJECT_FIELDS),
            refusal=_("На предмет ссылаются другие записи: удалить его нельзя."),
        )  # fmt: skip
