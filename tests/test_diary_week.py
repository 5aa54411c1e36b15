"""The diary week: what the teacher entered, at once, in a constant number of queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import DailyActivity
from journal.models import Attendance

from . import factories as F

# "Today" is a fixed school day, whatever the real date.
pytestmark = pytest.mark.usefixtures("school_day")


MONDAY = date(2026, 11, 9)


def fill_week(w, subjects=1, bells=1, days=6, marks_per_lesson=1, tag="a"):
    """Lessons for 5А from Monday, each with topic, homework, marks, attendance for the pupil."""
    test = F.WorkTypeFactory(school=w.school, code="test", name="Контрольная работа", weight=Decimal("2.0"))
    offset = 2 if tag == "a" else 6
    lessons = []
    for s in range(subjects):
        subject = F.SubjectFactory(school=w.school, name=f"Предмет {tag}{s}")
        a = F.AssignmentFactory(school_class=w.klass, subject=subject, teacher=w.teacher)
        for d in range(days):
            for b in range(bells):
                bell = F.BellFactory(school=w.school, number=offset + s * bells + b)
                lesson = F.LessonFactory(
                    assignment=a, date=MONDAY + timedelta(days=d), bell=bell, topic=f"Тема {s}-{d}-{b}"
                )
                F.HomeworkFactory(lesson=lesson, text=f"ДЗ {s}-{d}-{b}")
                for k in range(marks_per_lesson):
                    ass = F.AssessmentFactory(lesson=lesson, work_type=test if k % 2 else w.work_type, position=k + 1)
                    F.MarkFactory(assessment=ass, pupil=w.pupil, value=str(5 - k % 3))
                F.AttendanceFactory(lesson=lesson, pupil=w.pupil, code=Attendance.Code.LATE)
                lessons.append(lesson)
    return lessons


def test_week_shows_everything_the_teacher_entered(world, client_for):
    w = world
    lesson = w.lessons[0]  # Monday, mathematics, 5А
    lesson.topic = "Сложение дробей"
    lesson.save()
    F.HomeworkFactory(lesson=lesson, text="§ 7, № 120")
    F.IndividualHomeworkFactory(lesson=lesson, pupil=w.pupil, text="Карточка для Марии")
    F.IndividualHomeworkFactory(lesson=lesson, pupil=w.other_pupil, text="Чужая карточка")
    F.LessonCommentFactory(lesson=lesson, pupil=w.pupil, text="Не сдала тетрадь")
    test = F.WorkTypeFactory(school=w.school, code="test", name="Контрольная работа", weight=Decimal("2.0"))
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=lesson, work_type=test), pupil=w.pupil, value="4")
    F.AttendanceFactory(lesson=w.lessons[1], pupil=w.pupil, code=Attendance.Code.ILL)
    w.lessons[1].bell.__class__.objects.filter(pk=w.lessons[1].bell_id).update(starts="08:30", ends="09:15")

    resp = client_for(w.parent).get(reverse("diary:week", args=[w.pupil.pk]), {"date": "2026-11-11"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Сложение дробей" in html
    assert "§ 7, № 120" in html
    assert "Карточка для Марии" in html and "Чужая карточка" not in html
    assert "Не сдала тетрадь" in html
    assert "Контрольная работа" in html and ">4<" in html and "×2" in html
    assert "08:30–09:15" in html
    # Tuesday and Wednesday have no topic yet: the parent is told so; Tuesday shows the illness.
    assert html.count("Учитель ещё не заполнил урок") == 2
    assert '<td class="attendance">Б</td>' in html
    wk = resp.context["week"]
    assert wk.monday == MONDAY and [d.day.weekday() for d in wk.days] == [0, 1, 2, 3, 4, 5]
    assert "?date=2026-11-02" in html and "?date=2026-11-16" in html


def test_today_is_marked(world, client_for):
    from django.utils import timezone

    today = timezone.localdate()
    resp = client_for(world.parent).get(reverse("diary:week", args=[world.pupil.pk]))
    days = resp.context["week"].days
    if today.weekday() < 6:
        assert [d.day for d in days if d.is_today] == [today]
        assert 'class="today-mark"' in resp.content.decode()
    else:
        assert not any(d.is_today for d in days)


def test_group_lessons_and_enrollment_dates(world, client_for):
    w = world
    english = F.SubjectFactory(school=w.school, name="Английский язык")
    g1 = F.GroupFactory(school_class=w.klass, name="1 группа")
    g2 = F.GroupFactory(school_class=w.klass, name="2 группа")
    F.GroupMembershipFactory(group=g1, pupil=w.pupil)
    bell2 = F.BellFactory(school=w.school, number=2)
    a1 = F.AssignmentFactory(school_class=w.klass, group=g1, subject=english)
    a2 = F.AssignmentFactory(school_class=w.klass, group=g2, subject=english)
    F.LessonFactory(assignment=a1, date=MONDAY, bell=bell2, topic="Present Simple (группа 1)")
    F.LessonFactory(assignment=a2, date=MONDAY, bell=bell2, topic="Past Simple (группа 2)")
    # A pupil who arrived on Wednesday sees the class's lessons from Wednesday only.
    newcomer = F.UserFactory(school=w.school)
    F.EnrollmentFactory(school_class=w.klass, pupil=newcomer, start=MONDAY + timedelta(days=2))
    F.GuardianshipFactory(parent=w.parent, child=newcomer)

    html = client_for(w.parent).get(reverse("diary:week", args=[w.pupil.pk]), {"date": "2026-11-09"}).content.decode()
    assert "Present Simple (группа 1)" in html and "Past Simple (группа 2)" not in html
    wk = client_for(w.parent).get(reverse("diary:week", args=[newcomer.pk]), {"date": "2026-11-09"}).context["week"]
    assert [dl.lesson.date for dl in wk.lessons] == [date(2026, 11, 11)]


def test_grade_one_shows_no_marks(world, client_for):
    w = world
    w.klass.grade = 1
    w.klass.save()
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=w.lessons[0], work_type=w.work_type), pupil=w.pupil, value="5")
    resp = client_for(w.parent).get(reverse("diary:week", args=[w.pupil.pk]), {"date": "2026-11-09"})
    assert not resp.context["week"].show_marks
    assert "Ответ на уроке" not in resp.content.decode()
    resp = client_for(w.parent).get(
        reverse("diary:marks", args=[w.pupil.pk]), {"period": w.year.periods.get(scheme="quarter", number=2).pk}
    )
    html = resp.content.decode()
    assert "В 1 классе отметки не выставляются." in html
    assert 'class="average"' not in html and resp.context["progress"].rows[0].marks == []


def test_lesson_page_and_foreign_lesson(world, client_for):
    w = world
    c = client_for(w.parent)
    assert c.get(reverse("diary:lesson", args=[w.pupil.pk, w.lessons[0].pk])).status_code == 200
    other_lesson = w.other_assignment.lessons.first()
    assert c.get(reverse("diary:lesson", args=[w.pupil.pk, other_lesson.pk])).status_code == 404
    assert c.get(reverse("diary:lesson", args=[w.pupil.pk, w.foreign_lesson.pk])).status_code == 404


def test_bad_date_falls_back_to_this_week(world, client_for):
    resp = client_for(world.parent).get(reverse("diary:week", args=[world.pupil.pk]), {"date": "31.02.2026"})
    assert resp.status_code == 200


def test_diary_view_is_counted_as_activity(world, client_for):
    c = client_for(world.parent)
    c.get(reverse("diary:week", args=[world.pupil.pk]))
    c.get(reverse("diary:marks", args=[world.pupil.pk]))
    row = DailyActivity.objects.get(user=world.parent)
    assert row.diary_views == 2 and row.school_id == world.school.pk


def _count(client, url, params):
    with CaptureQueriesContext(connection) as cq:
        assert client.get(url, params).status_code == 200
    return len(cq.captured_queries)


@pytest.mark.parametrize("persona", ["parent", "pupil", "class_teacher"])
def test_week_queries_constant(world, client_for, django_assert_max_num_queries, persona):
    w = world
    c = client_for(getattr(w, persona))
    url = reverse("diary:week", args=[w.pupil.pk])
    params = {"date": "2026-11-09"}
    fill_week(w, subjects=1, bells=1, days=1, marks_per_lesson=1)
    c.get(url, params)  # the session's first request sets up the session (second factor gate)
    small = _count(c, url, params)
    fill_week(w, subjects=4, bells=2, days=6, marks_per_lesson=3, tag="b")
    with django_assert_max_num_queries(8):
        c.get(url, params)
    large = _count(c, url, params)
    resp = c.get(url, params)
    assert len(resp.context["week"].lessons) > 40
    assert sum(len(dl.marks) for dl in resp.context["week"].lessons) > 120
    assert small == large
