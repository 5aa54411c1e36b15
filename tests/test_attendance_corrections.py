"""Attendance corrections (issue 18, F17): a later day's change needs a reason like a
mark's (docs/DESIGN.md §3.10), and the class teacher's absence reason with its document
stays hers (docs/DESIGN.md §3.5) — a subject teacher's «Н» neither overwrites nor erases it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from journal import services
from journal.models import Attendance
from journal.services import NotAllowed, ServiceError
from journal.services.absences import set_reason

from . import factories as F

pytestmark = pytest.mark.usefixtures("school_day")


@pytest.fixture
def lesson(world):
    """Yesterday's lesson of the teacher: open, so only the reason rules decide."""
    return F.LessonFactory(
        assignment=world.assignment, date=timezone.localdate() - timedelta(days=1), bell=world.lessons[0].bell
    )


def absent(world, lesson, code="н", **kw):
    return services.set_attendance(world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, code=code, **kw)


def tomorrow():
    return timezone.now() + timedelta(days=1)


def audit_actions():
    return list(AuditEvent.objects.filter(action__startswith="attendance.").values_list("action", flat=True))


# --- a later day's correction needs a reason -------------------------------------------------


def test_the_same_day_an_attendance_mark_is_corrected_without_a_reason(world, lesson):
    att = absent(world, lesson)
    att = absent(world, lesson, code="оп", expected_version=att.version)
    assert att.code == "оп"
    services.clear_attendance(world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk)
    assert not Attendance.objects.filter(pk=att.pk).exists()


def test_changing_attendance_on_a_later_day_needs_a_reason_and_history_keeps_the_old_code(world, lesson):
    att = absent(world, lesson)
    before = audit_actions()
    with pytest.raises(ServiceError) as e:
        absent(world, lesson, code="оп", now=tomorrow())
    assert e.value.code == "reason_required"
    assert "Укажите причину исправления отметки посещаемости" in e.value.message
    assert Attendance.objects.get(pk=att.pk).code == "н"
    assert audit_actions() == before  # nothing written

    absent(world, lesson, code="оп", now=tomorrow(), reason="опоздал на 10 минут, отмечен по ошибке")
    event = AuditEvent.objects.filter(action="attendance.update").latest("id")
    assert event.before["code"] == "н" and event.after["code"] == "оп"
    assert event.reason == "опоздал на 10 минут, отмечен по ошибке"


def test_erasing_attendance_on_a_later_day_needs_a_reason(world, lesson):
    att = absent(world, lesson)
    with pytest.raises(ServiceError) as e:
        services.clear_attendance(world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, now=tomorrow())
    assert e.value.code == "reason_required"
    assert "удаления" in e.value.message
    assert Attendance.objects.filter(pk=att.pk).exists()
    services.clear_attendance(
        world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, now=tomorrow(), reason="был на уроке"
    )
    assert not Attendance.objects.filter(pk=att.pk).exists()
    assert AuditEvent.objects.filter(action="attendance.delete").latest("id").reason == "был на уроке"


def test_the_grid_cell_asks_for_the_reason_and_saves_with_it(world, lesson, client, time_machine):
    att = absent(world, lesson)
    time_machine.move_to(tomorrow(), tick=True)
    client.force_login(world.teacher)
    url = reverse("journal:cell", args=[lesson.pk])
    data = {"k": "a", "p": world.pupil.pk, "v": att.version, "value": "оп"}
    resp = client.post(url, data)
    assert resp.status_code == 422
    assert 'data-code="reason_required"' in resp.content.decode()
    assert Attendance.objects.get(pk=att.pk).code == "н"
    resp = client.post(url, {**data, "reason": "опоздал"})
    assert resp.status_code == 200
    assert Attendance.objects.get(pk=att.pk).code == "оп"


# --- the class teacher's reason stays hers ------------------------------------------------------


@pytest.fixture
def ill(world, lesson):
    """The teacher's «Н», then the class teacher's «Б» with the certificate."""
    att = absent(world, lesson)
    set_reason(
        world.class_teacher,
        school_class_id=world.klass.pk,
        pupil_id=world.pupil.pk,
        code="б",
        document="справка № 17 из поликлиники",
        attendance_ids=[att.pk],
    )
    att.refresh_from_db()
    assert att.code == "б" and att.reason_set_by == world.class_teacher
    return att


@pytest.mark.parametrize("code", ["н", "нп", "оп"])
def test_a_subject_teacher_cannot_overwrite_the_class_teachers_reason(world, lesson, ill, code):
    before = audit_actions()
    with pytest.raises(NotAllowed) as e:
        absent(world, lesson, code=code, reason="исправляю")
    assert e.value.code == "reason_protected"
    assert "классный руководитель" in e.value.message and "справка № 17" in e.value.message
    ill.refresh_from_db()
    assert (ill.code, ill.reason_document, ill.reason_set_by) == (
        "б",
        "справка № 17 из поликлиники",
        world.class_teacher,
    )
    assert audit_actions() == before


def test_a_subject_teacher_cannot_erase_the_class_teachers_reason(world, lesson, ill):
    with pytest.raises(NotAllowed) as e:
        services.clear_attendance(world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, reason="был")
    assert e.value.code == "reason_protected"
    assert Attendance.objects.filter(pk=ill.pk, code="б").exists()


def test_the_cell_refuses_the_overwrite_with_a_russian_message(world, lesson, ill, client):
    client.force_login(world.teacher)
    resp = client.post(
        reverse("journal:cell", args=[lesson.pk]), {"k": "a", "p": world.pupil.pk, "v": ill.version, "value": "н"}
    )
    assert resp.status_code == 403
    body = resp.content.decode()
    assert 'data-code="reason_protected"' in body and "изменить или удалить её может только он" in body
    assert Attendance.objects.get(pk=ill.pk).code == "б"


def test_the_class_teacher_still_changes_her_own_reason(world, lesson, ill):
    set_reason(
        world.class_teacher,
        school_class_id=world.klass.pk,
        pupil_id=world.pupil.pk,
        code="уп",
        document="заявление родителей",
        attendance_ids=[ill.pk],
    )
    ill.refresh_from_db()
    assert (ill.code, ill.reason_document) == ("уп", "заявление родителей")


def test_a_class_teacher_teaching_the_lesson_may_change_her_reason_and_the_document_goes_with_it(world, lesson):
    own = F.AssignmentFactory(school_class=world.klass, teacher=world.class_teacher)
    her_lesson = F.LessonFactory(assignment=own, date=lesson.date, bell=F.BellFactory(school=world.school, number=2))
    att = services.set_attendance(world.class_teacher, lesson_id=her_lesson.pk, pupil_id=world.pupil.pk, code="н")
    set_reason(
        world.class_teacher,
        school_class_id=world.klass.pk,
        pupil_id=world.pupil.pk,
        code="б",
        document="справка",
        attendance_ids=[att.pk],
    )
    att = services.set_attendance(world.class_teacher, lesson_id=her_lesson.pk, pupil_id=world.pupil.pk, code="оп")
    assert (att.code, att.reason_document, att.reason_set_by) == ("оп", "", None)
    event = AuditEvent.objects.filter(action="attendance.update").latest("id")
    assert event.before["reason_document"] == "справка" and event.after["reason_document"] == ""


def test_a_plain_absence_without_a_reason_stays_the_subject_teachers_to_correct(world, lesson):
    """Only a reason set by the class teacher is protected: the teacher's own «Б» is his."""
    att = absent(world, lesson, code="б")
    att = absent(world, lesson, code="н", expected_version=att.version)
    assert att.code == "н"


def test_a_temporary_journal_transfer_keeps_the_class_teachers_reason_for_the_papers_absence(world):
    """The paper says «Н»; the journal already holds the class teacher's «Б» for that
    absence: the transfer succeeds and leaves the reason in place."""
    from journal.rules import at
    from journal.services import temp_journal

    day = world.lessons[0].date
    outage = F.OutageFactory(
        school=world.school, start=at(day, timezone.datetime.min.time()), end=at(day, timezone.datetime.max.time())
    )
    att = Attendance.objects.create(lesson=world.lessons[0], pupil=world.pupil, code="н", created_by=world.teacher)
    set_reason(
        world.class_teacher,
        school_class_id=world.klass.pk,
        pupil_id=world.pupil.pk,
        code="б",
        document="справка",
        attendance_ids=[att.pk],
    )
    temp_journal.apply_import(
        world.teacher,
        outage_id=outage.pk,
        school_class_id=world.klass.pk,
        paper_date=day,
        entries=[{"lesson_id": world.lessons[0].pk, "pupil_id": world.pupil.pk, "attendance": "н"}],
        file_name="vremennyi.csv",
    )
    att.refresh_from_db()
    assert (att.code, att.reason_document) == ("б", "справка")
