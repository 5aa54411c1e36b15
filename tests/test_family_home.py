"""The family home (issue 20, docs/DESIGN.md §1.5 "The family home"): per child the new
marks since the last visit, the next school day's homework, today's absences and unread
messages, linking to the diary; the pupil the same for themselves; a fixed query count."""

from datetime import time, timedelta
from itertools import count

import pytest
from django.db.models import F as Col
from django.urls import reverse
from django.utils import timezone

from diary import services
from diary.home import next_school_day
from diary.models import HomeVisit
from journal.models import Mark

from . import factories as F

pytestmark = pytest.mark.usefixtures("school_day")
BELLS = count(20)


def _lesson(w, day, klass=None, subject="Математика"):
    assignment = (
        w.assignment
        if klass is None
        else F.AssignmentFactory(school_class=klass, teacher=w.teacher, subject=F.SubjectFactory(school=w.school))
    )
    n = next(BELLS)
    bell = F.BellFactory(school=w.school, number=n, starts=time(n % 24, 0), ends=time(n % 24, 45))
    return F.LessonFactory(assignment=assignment, date=day, bell=bell)


def _news(w, pupil, klass=None, today=None):
    """A mark today, homework for the next school day, an absence today."""
    today = today or timezone.localdate()
    lesson = _lesson(w, today, klass)
    F.MarkFactory(assessment=F.AssessmentFactory(lesson=lesson, work_type=w.work_type), pupil=pupil, value="4")
    F.AttendanceFactory(lesson=_lesson(w, today, klass), pupil=pupil)
    F.HomeworkFactory(lesson=_lesson(w, next_school_day(today), klass), text="Параграф 7, задачи 1–3")


def _children(w, n):
    kids = [w.pupil]
    for i in range(n - 1):
        kid = F.UserFactory(school=w.school, last_name=f"Иванов{i}")
        F.EnrollmentFactory(school_class=w.klass, pupil=kid)
        F.GuardianshipFactory(parent=w.parent, child=kid)
        kids.append(kid)
    return kids


def test_the_parent_sees_each_childs_news_linking_to_the_diary(world, client_for):
    w = world
    _news(w, w.pupil)
    _news(w, w.other_pupil, klass=w.other_class)  # another family's: never on her page
    services.start_thread(w.teacher, pupil_id=w.pupil.pk, to=f"parent:{w.parent.pk}", subject="Тетрадь", body="x")
    services.publish_announcement(
        w.class_teacher, school_class_id=w.klass.pk, audience="both", title="Экскурсия", body="y"
    )
    html = client_for(w.parent).get(reverse("home")).content.decode()
    assert 'class="child"' in html and w.pupil.full_name in html and w.other_pupil.full_name not in html
    assert html.count('class="new-mark"') == 1 and w.work_type.name in html
    assert "Параграф 7, задачи 1–3" in html
    assert 'class="today-absences"' in html
    assert "1 непрочитанное сообщение" in html and "Экскурсия" in html
    assert reverse("diary:week", args=[w.pupil.pk]) in html and reverse("diary:marks", args=[w.pupil.pk]) in html


def test_new_marks_are_those_since_the_last_visit(world, client_for):
    w = world
    _news(w, w.pupil)
    c = client_for(w.parent)
    assert c.get(reverse("home")).content.decode().count('class="new-mark"') == 1
    # Reloading within the visit keeps the news; the next visit starts from here.
    assert c.get(reverse("home")).content.decode().count('class="new-mark"') == 1
    # Two hours later (the session would have ended): the mark was seen on the last visit.
    HomeVisit.objects.update(seen_at=Col("seen_at") - timedelta(hours=2))
    Mark.objects.update(created_at=Col("created_at") - timedelta(hours=3))
    html = c.get(reverse("home")).content.decode()
    assert 'class="new-mark"' not in html and "Новые отметки с прошлого визита" in html


def test_the_pupil_gets_the_same_for_themselves(world, client_for):
    w = world
    _news(w, w.pupil)
    html = client_for(w.pupil).get(reverse("home")).content.decode()
    assert "Мой дневник" in html and html.count('class="new-mark"') == 1 and "Параграф 7" in html


@pytest.mark.parametrize("n", [1, 3])
def test_the_family_home_costs_at_most_eight_queries_whatever_the_children(
    world, client_for, django_assert_max_num_queries, n
):
    w = world
    for kid in _children(w, n):
        _news(w, kid)
    c = client_for(w.parent)
    c.get(reverse("home"))
    with django_assert_max_num_queries(8):
        html = c.get(reverse("home")).content.decode()
    assert html.count('class="child"') == n and html.count('class="new-mark"') == n
