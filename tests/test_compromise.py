"""A compromised account (docs/DESIGN.md §3.11): everything it did after the school learned
of the leak is voided through the journal's services; what it did before stands."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import compromise
from accounts.models import AuditEvent, VoidedOperation
from journal.models import Attendance, Mark
from journal.services import entries

from . import factories as F

# "Today" is a fixed school day, whatever the real date.
pytestmark = pytest.mark.usefixtures("school_day")


@pytest.fixture
def today(world):
    lesson = F.LessonFactory(assignment=world.assignment, date=timezone.localdate(), bell=world.lessons[0].bell)
    second_pupil = F.EnrollmentFactory(school_class=world.klass).pupil
    return lesson, F.AssessmentFactory(lesson=lesson, work_type=world.work_type), second_pupil


def _mark(assessment, pupil):
    return Mark.objects.filter(assessment=assessment, pupil=pupil).values_list("value", flat=True).first()


def test_operations_after_the_moment_are_reverted_and_earlier_ones_kept(world, today, client):
    lesson, work, second_pupil = today
    teacher = world.teacher
    entries.set_mark(teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="5")
    earlier_work = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    entries.set_mark(teacher, assessment_id=earlier_work.pk, pupil_id=second_pupil.pk, value="4")

    learned_at = timezone.now()
    # The intruder, with the teacher's login: spoils a mark, adds one, marks an absence.
    entries.set_mark(teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="2", reason="исправление")
    entries.set_mark(teacher, assessment_id=work.pk, pupil_id=second_pupil.pk, value="3")
    entries.set_attendance(teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, code="н")

    comp = compromise.record_compromise(
        world.admin, teacher, learned_at=learned_at, reason="Логин и пароль учителя оказались у ученика"
    )

    assert _mark(work, world.pupil) == "5"  # back to what the teacher had given
    assert _mark(work, second_pupil) is None  # the added mark is gone
    assert not Attendance.objects.filter(lesson=lesson, pupil=world.pupil).exists()
    assert _mark(earlier_work, second_pupil) == "4"  # before the moment: stands
    teacher.refresh_from_db()
    assert not teacher.is_active

    voided = VoidedOperation.objects.filter(compromise=comp)
    assert sorted(v.event.action for v in voided) == ["attendance.create", "mark.create", "mark.update"]
    assert {v.outcome for v in voided} == {VoidedOperation.Outcome.REVERTED}
    # each reversal is itself in the trail, by the administrator, with the reason
    for v in voided:
        assert v.reversal.actor == world.admin
        assert f"операции №{v.event.pk}" in v.reversal.reason
    earlier = AuditEvent.objects.filter(actor=teacher, created_at__lt=learned_at).values("pk")
    assert not voided.filter(event__in=earlier).exists()

    # The administrator prints the list of what was voided.
    client.force_login(world.admin)
    resp = client.get(reverse("accounts:compromise_pdf", args=[comp.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"


def test_only_the_schools_administrator_records_a_compromise(world):
    for actor in (world.deputy, world.director, world.outsider):
        with pytest.raises(compromise.CompromiseError):
            compromise.record_compromise(actor, world.teacher, learned_at=timezone.now(), reason="утечка")
    world.teacher.refresh_from_db()
    assert world.teacher.is_active
