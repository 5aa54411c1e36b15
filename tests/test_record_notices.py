"""Notices of the records procedures (issue 14): a new correction request tells the
deputies, a substitution tells the substitute; the portal notice commits with the change,
the e-mail goes once, after the commit, and a failed letter is sent by the retry."""

from datetime import date
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from journal import notices
from journal.control import notify
from journal.models import Notification, StudyPeriod
from journal.services import corrections, substitutions
from journal.services.errors import ServiceError
from journal.tasks import send_notices

from . import factories as F

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.django_db]
TODAY = date(2026, 11, 20)


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, messages):
        raise SMTPException("451 try again later")


def _file_request(world, reasons="Ученица была на олимпиаде, отсутствие отмечено ошибочно"):
    lesson = world.lessons[0]  # 09.11: locked by now
    F.AttendanceFactory(lesson=lesson, pupil=world.pupil)
    return corrections.create_lesson_request(
        world.teacher,
        lesson_id=lesson.pk,
        changes=[{"kind": "attendance", "pupil_id": world.pupil.pk, "new_value": ""}],
        reasons=reasons,
    )


def test_a_new_correction_request_notifies_every_deputy_and_only_them(world, django_capture_on_commit_callbacks):
    second_deputy = F.UserFactory(school=world.school, last_name="Зайцева")
    F.RoleFactory(user=second_deputy, school=world.school, role="deputy")
    with django_capture_on_commit_callbacks() as callbacks:
        req = _file_request(world)
    got = Notification.objects.filter(school=world.school).order_by("user_id")
    assert sorted(n.user_id for n in got) == sorted([world.deputy.pk, second_deputy.pk])
    n = got.get(user=world.deputy)
    assert f"Новая объяснительная № {req.pk}" in n.title and "Соколов" in n.title and "5А" in n.title
    assert reverse("journal:correction", args=[req.pk]) in n.body
    assert "09.11.2026" in n.body and req.reasons in n.body
    assert n.read_at is None and n.emailed_at is None
    assert len(callbacks) == 1  # the e-mail task, sent after the commit


def test_a_refused_request_notifies_nobody(world):
    with pytest.raises(ServiceError):
        _file_request(world, reasons="коротко")
    assert not Notification.objects.exists()


def test_a_period_mark_request_notifies_the_deputy(world):
    period = StudyPeriod.objects.get(year=world.year, scheme="quarter", number=1)
    F.PeriodMarkFactory(pupil=world.pupil, assignment=world.assignment, subject=world.subject, period=period, value="4")
    req = corrections.create_period_request(
        world.teacher,
        assignment_id=world.assignment.pk,
        period_id=period.pk,
        kind="period",
        changes=[{"pupil_id": world.pupil.pk, "new_value": "5"}],
        reasons="Не учтена контрольная работа, написанная после болезни",
    )
    (n,) = Notification.objects.filter(user=world.deputy)
    assert f"№ {req.pk}" in n.title and str(period) in n.body


def test_the_letter_goes_once_and_a_failed_one_is_sent_by_the_retry(world, settings):
    world.deputy.email = "zavuch@example.ru"
    world.deputy.save()
    _file_request(world)
    ids = list(Notification.objects.values_list("pk", flat=True))

    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    with pytest.raises(SMTPException):
        notices.send(ids)
    assert Notification.objects.get(pk=ids[0]).emailed_at is None  # released for the retry

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_notices.apply(args=[ids]).get() == 1
    assert send_notices.apply(args=[ids]).get() == 0  # never twice
    (letter,) = mail.outbox
    assert letter.to == ["zavuch@example.ru"] and "Новая объяснительная" in letter.subject
    assert "Здравствуйте, Наталья Борисовна!" in letter.body
    # the deadline checks' sender leaves these notices to their own sender
    assert notify.send_emails(world.school, Notification.objects.get(pk=ids[0]).created_at) == 0


def test_a_substitution_notifies_the_substitute_with_her_lessons(world):
    bell2 = F.BellFactory(school=world.school, number=2)
    lessons = [
        F.LessonFactory(assignment=world.other_assignment, date=TODAY, bell=world.lessons[0].bell),
        F.LessonFactory(assignment=world.other_assignment, date=date(2026, 11, 23), bell=bell2),
    ]
    substitutions.assign(
        world.deputy,
        assignment_id=world.other_assignment.pk,
        substitute_id=world.teacher.pk,
        date_from=TODAY,
        date_to=date(2026, 11, 23),
        reason="Курсы повышения квалификации",
    )
    (n,) = Notification.objects.all()
    assert n.user_id == world.teacher.pk
    assert "Вам назначена замена: 5Б · Математика, 2 урока" in n.title
    assert "Волкова Ирина Павловна" in n.body and "Курсы повышения квалификации" in n.body
    assert "20.11.2026, 1 урок" in n.body and "23.11.2026, 2 урок" in n.body
    for lesson in lessons:
        assert reverse("journal:lesson", args=[lesson.pk]) in n.body
    assert reverse("journal:my_journals") in n.body
