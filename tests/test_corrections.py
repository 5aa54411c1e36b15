"""Объяснительные: filed by the teacher, decided only by the deputy, applied atomically, audited, printable."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AuditEvent
from journal.models import Attendance, CorrectionRequest, Mark, PeriodMark, StudyPeriod
from journal.services import corrections, set_mark
from journal.services.errors import NotAllowed, ServiceError

from . import factories as F

# "Today" is a fixed school day, whatever the real date.
pytestmark = pytest.mark.usefixtures("school_day")


@pytest.fixture
def locked(world):
    """World's 9 November lesson (locked by now) with a mark 3 and an «Н» for Иванова."""
    lesson = world.lessons[0]
    assessment = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    mark = F.MarkFactory(assessment=assessment, pupil=world.pupil, value="3")
    att = F.AttendanceFactory(lesson=lesson, pupil=world.pupil, code="н")
    return lesson, assessment, mark, att


def file_request(world, locked):
    lesson, assessment, _, _ = locked
    return corrections.create_lesson_request(
        world.teacher,
        lesson_id=lesson.pk,
        changes=[
            {"kind": "mark", "pupil_id": world.pupil.pk, "assessment_id": assessment.pk, "new_value": "4"},
            {"kind": "attendance", "pupil_id": world.pupil.pk, "new_value": ""},
        ],
        reasons="Ошибочно выставлена отметка и пропуск: ученица отвечала у доски.",
    )


def test_the_teacher_cannot_change_the_locked_lesson_herself(world, locked):
    _, assessment, _, _ = locked
    with pytest.raises(ServiceError, match="Урок закрыт"):
        set_mark(world.teacher, assessment_id=assessment.pk, pupil_id=world.pupil.pk, value="4", reason="ошибка")


def test_request_records_teacher_class_date_subject_changes_and_reasons(world, locked):
    req = file_request(world, locked)
    assert (req.teacher, req.school_class, req.date, req.subject) == (
        world.teacher,
        world.klass,
        locked[0].date,
        world.subject,
    )
    assert [(c.kind, c.old_value, c.new_value) for c in req.changes.all()] == [
        ("mark", "3", "4"),
        ("attendance", "н", ""),
    ]
    assert req.status == CorrectionRequest.Status.PENDING
    assert AuditEvent.objects.filter(action="correction.create", object_id=str(req.pk)).exists()


def test_only_the_deputy_approves(world, locked):
    req = file_request(world, locked)
    for user in (world.teacher, world.class_teacher, world.director, world.outsider):
        with pytest.raises(NotAllowed):
            corrections.approve(user, request_id=req.pk)
    assert Mark.objects.get(pk=locked[2].pk).value == "3"


def test_approval_applies_every_change_with_the_deputy_as_actor(world, locked):
    req = file_request(world, locked)
    corrections.approve(world.deputy, request_id=req.pk, comment="Согласовано")
    mark = Mark.objects.get(pk=locked[2].pk)
    assert mark.value == "4" and mark.updated_by == world.deputy
    assert not Attendance.objects.filter(pk=locked[3].pk).exists()
    req.refresh_from_db()
    assert req.status == CorrectionRequest.Status.APPROVED and req.decided_by == world.deputy
    events = {e.action: e for e in AuditEvent.objects.filter(actor=world.deputy)}
    assert set(events) == {"mark.update", "attendance.delete", "correction.approve"}
    assert events["mark.update"].reason.startswith(f"Объяснительная № {req.pk}")
    assert events["mark.update"].before["value"] == "3" and events["mark.update"].after["value"] == "4"
    with pytest.raises(ServiceError, match="уже принято"):
        corrections.approve(world.deputy, request_id=req.pk)


def test_approval_is_all_or_nothing_when_a_record_changed_meanwhile(world, locked):
    req = file_request(world, locked)
    Attendance.objects.filter(pk=locked[3].pk).update(code="б", version=2)
    with pytest.raises(ServiceError, match="изменились после подачи"):
        corrections.approve(world.deputy, request_id=req.pk)
    assert Mark.objects.get(pk=locked[2].pk).value == "3"  # the mark change was rolled back too
    assert CorrectionRequest.objects.get(pk=req.pk).status == CorrectionRequest.Status.PENDING
    assert not AuditEvent.objects.filter(actor=world.deputy).exists()


def test_rejection_needs_a_comment_and_changes_nothing(world, locked):
    req = file_request(world, locked)
    with pytest.raises(ServiceError, match="почему"):
        corrections.reject(world.deputy, request_id=req.pk, comment=" ")
    corrections.reject(world.deputy, request_id=req.pk, comment="Отметка подтверждена работой ученицы.")
    req.refresh_from_db()
    assert req.status == CorrectionRequest.Status.REJECTED
    assert Mark.objects.get(pk=locked[2].pk).value == "3"
    assert AuditEvent.objects.get(action="correction.reject").reason == "Отметка подтверждена работой ученицы."


def test_an_open_lesson_needs_no_request(world):
    lesson = F.LessonFactory(assignment=world.assignment, date=timezone.localdate(), bell=world.lessons[0].bell)
    with pytest.raises(ServiceError, match="ещё открыт"):
        corrections.create_lesson_request(
            world.teacher,
            lesson_id=lesson.pk,
            changes=[{"kind": "attendance", "pupil_id": world.pupil.pk, "new_value": "н"}],
            reasons="Ошибка при заполнении журнала.",
        )


def test_period_mark_correction_through_the_deputy(world):
    q1 = StudyPeriod.objects.get(year=world.year, scheme="quarter", number=1)
    pm = PeriodMark.objects.create(
        pupil=world.pupil,
        assignment=world.assignment,
        subject=world.subject,
        period=q1,
        value="3",
        set_by=world.teacher,
    )
    with pytest.raises(ServiceError, match="Недопустимая итоговая"):
        corrections.create_period_request(
            world.teacher,
            assignment_id=world.assignment.pk,
            period_id=q1.pk,
            kind="period",
            changes=[{"pupil_id": world.pupil.pk, "new_value": "7"}],
            reasons="Ошибка при выставлении отметки.",
        )
    req = corrections.create_period_request(
        world.teacher,
        assignment_id=world.assignment.pk,
        period_id=q1.pk,
        kind="period",
        changes=[{"pupil_id": world.pupil.pk, "new_value": "4"}],
        reasons="Не учтена контрольная работа от 20.10.",
    )
    corrections.approve(world.deputy, request_id=req.pk)
    pm.refresh_from_db()
    assert (pm.value, pm.set_by, pm.version) == ("4", world.deputy, 2)
    ev = AuditEvent.objects.get(action="period_mark.update")
    assert ev.before["value"] == "3" and ev.after["value"] == "4" and f"№ {req.pk}" in ev.reason


def test_forms_pdf_and_decision_over_http(world, locked, client_for):
    lesson, assessment, _, _ = locked
    client = client_for(world.teacher)
    url = reverse("journal:correction_lesson_new", args=[lesson.pk])
    field = f"mark-{assessment.pk}-{world.pupil.pk}"
    # Too short reasons: nothing filed, the typed value stays in the form.
    resp = client.post(url, {field: "5", f"att-{world.pupil.pk}": "н", "reasons": "ошибка"})
    assert resp.status_code == 200 and 'value="5"' in resp.content.decode()
    assert not CorrectionRequest.objects.exists()
    resp = client.post(
        url, {field: "5", f"att-{world.pupil.pk}": "н", "reasons": "Отметка перепутана с соседом по парте."}
    )
    req = CorrectionRequest.objects.get()
    assert resp.status_code == 302 and [c.new_value for c in req.changes.all()] == ["5"]

    pdf = client.get(reverse("journal:correction_pdf", args=[req.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    for expected in (
        "ОБЪЯСНИТЕЛЬНАЯ",
        "Соколов А. В.",
        "5А",
        "Математика",
        "09.11.2026",
        "Иванова Мария",
        "перепутана",
    ):
        assert expected in text

    # The teacher cannot decide; the deputy can.
    assert client.post(reverse("journal:correction_approve", args=[req.pk])).status_code == 404
    deputy = client_for(world.deputy)
    assert deputy.post(reverse("journal:correction_approve", args=[req.pk]), {"comment": ""}).status_code == 302
    assert Mark.objects.get(assessment=assessment, pupil=world.pupil).value == "5"


def test_deputy_unlocks_a_lesson_for_a_limited_time(world, locked):
    lesson, assessment, _, _ = locked
    with pytest.raises(NotAllowed):
        corrections.unlock_lesson(world.teacher, lesson_id=lesson.pk, hours=24, reason="Просьба учителя")
    with pytest.raises(ServiceError, match="от 1 до 72"):
        corrections.unlock_lesson(world.deputy, lesson_id=lesson.pk, hours=100, reason="Просьба учителя")
    corrections.unlock_lesson(world.deputy, lesson_id=lesson.pk, hours=2, reason="Просьба учителя")
    lesson.refresh_from_db()
    assert timezone.now() < lesson.unlocked_until <= timezone.now() + timezone.timedelta(hours=2)
    ev = AuditEvent.objects.get(action="lesson.unlock")
    assert ev.actor == world.deputy and ev.reason == "Просьба учителя"
    set_mark(world.teacher, assessment_id=assessment.pk, pupil_id=world.pupil.pk, value="4", reason="Исправление")
    later = timezone.now() + timezone.timedelta(hours=3)
    with pytest.raises(ServiceError, match="Урок закрыт"):
        set_mark(world.teacher, assessment_id=assessment.pk, pupil_id=world.pupil.pk, value="5", reason="x", now=later)
