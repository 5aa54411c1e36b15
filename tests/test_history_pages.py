"""History pages from the audit trail, the card-view log, and the administrator's backup
status (docs/ARCHIVE.md)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from journal.services import entries
from maintenance.models import BackupRun, RestoreDrill

from . import factories as F


def held_day():
    """Yesterday: a lesson already held on the real clock (marks wait for a lesson's start,
    and today's first bell may not have rung when the suite runs)."""
    return timezone.localdate() - timedelta(days=1)


def _marked(world):
    lesson = F.LessonFactory(assignment=world.assignment, date=held_day(), bell=world.lessons[0].bell)
    work = F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    entries.set_mark(world.teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="5")
    entries.set_mark(world.teacher, assessment_id=work.pk, pupil_id=world.pupil.pk, value="3", reason="не та работа")
    entries.set_attendance(world.teacher, lesson_id=lesson.pk, pupil_id=world.pupil.pk, code="н")
    return lesson, work


def test_the_deputy_reads_who_changed_a_mark_when_and_why(world, client):
    lesson, work = _marked(world)
    client.force_login(world.deputy)
    page = client.get(reverse("journal:mark_history", args=[work.pk, world.pupil.pk])).content.decode()
    assert page.count('class="history-entry"') == 2
    assert "отметка исправлена" in page and "не та работа" in page and world.teacher.full_name in page
    lesson_page = client.get(reverse("journal:lesson_history", args=[lesson.pk])).content.decode()
    assert lesson_page.count('class="history-entry"') >= 3  # work, two mark events, attendance
    att = client.get(reverse("journal:attendance_history", args=[lesson.pk, world.pupil.pk])).content.decode()
    assert "посещаемость отмечена" in att
    assert (
        reverse("journal:lesson_history", args=[lesson.pk])
        in client.get(reverse("journal:lesson", args=[lesson.pk])).content.decode()
    )


def test_the_class_teacher_reads_the_card_view_log(world, client):
    account_services.log_card_view(world.deputy, world.pupil)
    client.force_login(world.class_teacher)
    page = client.get(reverse("journal:card_views", args=[world.pupil.pk])).content.decode()
    assert world.deputy.full_name in page and page.count('class="card-view"') == 1


def test_the_admin_home_page_shows_the_last_backup_and_drill(world, client):
    now = timezone.now()
    BackupRun.objects.create(
        name="ejournal-x-weekly", status="ok", started_at=now, size=5 * 2**20, destinations=["/a", "/b"]
    )
    RestoreDrill.objects.create(
        backup_name="ejournal-x-weekly", backup_path="/a", status="ok", started_at=now, finished_at=now, size=5 * 2**20
    )
    BackupRun.objects.create(
        name="ejournal-y",
        status="failed",
        started_at=now + timezone.timedelta(minutes=1),
        error="Каталог не найден: /b",
    )
    client.force_login(world.admin)
    page = client.get(reverse("home")).content.decode()
    assert "Последняя успешная резервная копия" in page and "5,0" in page and "2 носителя" in page
    assert "Последняя успешная проверка восстановления" in page and "Каталог не найден: /b" in page
