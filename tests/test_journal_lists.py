"""«Мои журналы», «Журналы школы» and the class page (issue 14): the data of each row
(last lesson, what is filled, days to lock), who sees what, the menu items, and a query
count that does not grow with the number of journals."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal import journals as J
from journal.models import Lesson
from journal.services import substitutions

from . import factories as F

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.django_db]

MSK = ZoneInfo("Europe/Moscow")
TODAY = date(2026, 11, 20)  # the school_day fixture's Friday


def _now(hour=12):
    return datetime(2026, 11, 20, hour, 0, tzinfo=MSK)


def _row(rows, assignment):
    (row,) = [r for r in rows if r.assignment.pk == assignment.pk]
    return row


def _journal(world, name, teacher=None, grade=None):
    klass = world.klass if grade is None else F.ClassFactory(year=world.year, grade=grade, letter="В")
    subject = F.SubjectFactory(school=world.school, name=name)
    return F.AssignmentFactory(school_class=klass, subject=subject, teacher=teacher or world.teacher)


# --- the rows' data ---------------------------------------------------------------------------


def test_last_lesson_is_the_latest_held_one_not_a_future_or_cancelled_one(world):
    bell2 = F.BellFactory(school=world.school, number=2)
    held = F.LessonFactory(assignment=world.assignment, date=date(2026, 11, 18), bell=bell2)
    F.LessonFactory(assignment=world.assignment, date=date(2026, 11, 18), bell=world.lessons[0].bell)
    F.LessonFactory(assignment=world.assignment, date=date(2026, 11, 19), status=Lesson.Status.CANCELLED)
    F.LessonFactory(assignment=world.assignment, date=date(2026, 11, 23))  # next week

    (row,) = J.journal_rows(J.my_journals(world.teacher, world.year), _now())

    assert row.last.lesson.pk == held.pk  # 18.11, the later bell of the day


def test_filled_flags_read_topic_attendance_roll_and_homework(world):
    lesson = F.LessonFactory(assignment=world.assignment, date=TODAY, bell=world.lessons[0].bell)

    def state():
        return _row(J.journal_rows(J.my_journals(world.teacher, world.year), _now()), world.assignment).last

    s = state()
    assert (s.lesson.pk, s.topic, s.attendance, s.homework, s.filled) == (lesson.pk, False, False, False, False)
    assert s.missing == ["topic", "attendance", "homework"]

    lesson.topic = "  "  # blanks are no topic
    lesson.save()
    F.AttendanceRollFactory(lesson=lesson)  # everyone present: the roll is the attendance
    s = state()
    assert (s.topic, s.attendance, s.homework) == (False, True, False)

    lesson.topic = "Дроби"
    lesson.save()
    F.HomeworkFactory(lesson=lesson)
    s = state()
    assert (s.topic, s.attendance, s.homework, s.filled, s.missing) == (True, True, True, True, [])


def test_an_absence_counts_as_attendance_taken(world):
    lesson = F.LessonFactory(assignment=world.assignment, date=TODAY, bell=world.lessons[0].bell)
    F.AttendanceFactory(lesson=lesson, pupil=world.pupil)
    row = _row(J.journal_rows(J.my_journals(world.teacher, world.year), _now()), world.assignment)
    assert row.last.attendance is True


def test_first_grade_has_no_homework_to_fill(world):
    first = _journal(world, grade=1, name="Окружающий мир")
    F.LessonFactory(assignment=first, date=TODAY, bell=world.lessons[0].bell, topic="Осень")
    row = _row(J.journal_rows(J.my_journals(world.teacher, world.year), _now()), first)
    assert row.last.homework is None
    assert row.last.filled is False  # attendance still missing
    assert row.last.missing == ["attendance"]


def test_days_to_lock_follow_the_schools_rule(world):
    """docs/DESIGN.md §3.4: a lesson locks lock_after_days (7) days after its day."""
    F.LessonFactory(assignment=world.assignment, date=TODAY, bell=world.lessons[0].bell)
    s = _row(J.journal_rows(J.my_journals(world.teacher, world.year), _now()), world.assignment).last
    assert (s.locked, s.days_left, s.last_day) == (False, 8, date(2026, 11, 27))

    world.school.lock_after_days = 3
    world.school.save()
    s = _row(J.journal_rows(J.my_journals(world.teacher, world.year), _now()), world.assignment).last
    assert (s.locked, s.days_left, s.last_day) == (False, 4, date(2026, 11, 23))


def test_an_old_lesson_is_locked_until_the_deputy_unlocks_it(world):
    s = _row(J.journal_rows(J.my_journals(world.teacher, world.year), _now()), world.assignment).last
    assert s.lesson.pk == world.lessons[-1].pk  # 11.11: locked since 19.11
    assert (s.locked, s.days_left) == (True, None)

    lesson = world.lessons[-1]
    lesson.unlocked_until = _now() + timedelta(days=2)
    lesson.save()
    s = _row(J.journal_rows(J.my_journals(world.teacher, world.year), _now()), world.assignment).last
    assert (s.locked, s.days_left, s.last_day) == (False, 2, date(2026, 11, 21))


def test_no_lesson_held_yet(world):
    fresh = _journal(world, name="Информатика")
    F.LessonFactory(assignment=fresh, date=date(2026, 11, 23))
    assert _row(J.journal_rows(J.my_journals(world.teacher, world.year), _now()), fresh).last is None


def test_my_journals_are_the_teachers_own_active_journals_of_the_year(world):
    other_year = F.YearFactory(school=world.school, name="2025/2026", start=date(2025, 9, 1), end=date(2026, 5, 31))
    old = F.AssignmentFactory(
        school_class=F.ClassFactory(year=other_year, grade=4, letter="А"), subject=world.subject, teacher=world.teacher
    )
    inactive = _journal(world, name="Черчение")
    inactive.is_active = False
    inactive.save()
    russian = _journal(world, name="Русский язык")

    got = [a.pk for a in J.my_journals(world.teacher, world.year)]

    assert got == [world.assignment.pk, russian.pk]  # by subject: Математика, Русский язык
    assert old.pk not in got and inactive.pk not in got and world.other_assignment.pk not in got


def test_substituted_lessons_are_the_substitutes_until_revoked(world):
    lesson = F.LessonFactory(assignment=world.other_assignment, date=TODAY, bell=world.lessons[0].bell)
    (sub,) = substitutions.assign(
        world.deputy,
        assignment_id=world.other_assignment.pk,
        substitute_id=world.teacher.pk,
        date_from=TODAY,
        reason="Болезнь учителя",
    )
    (s,) = J.substitute_lessons(world.teacher)
    assert (s.lesson.pk, s.lesson.assignment.teacher_id, s.days_left) == (
        lesson.pk,
        world.other_assignment.teacher_id,
        8,
    )

    substitutions.revoke(world.deputy, substitution_id=sub.pk, reason="Учитель вышел")
    assert J.substitute_lessons(world.teacher) == []


def test_school_classes_count_their_active_journals(world):
    _journal(world, name="Русский язык")
    counts = {str(c): c.journal_count for c in J.school_classes(world.deputy, world.year)}
    assert counts == {"5А": 2, "5Б": 1}


# --- pages, links and the menu ------------------------------------------------------------------


def test_my_journals_page_links_each_journal_and_its_last_lesson(world, client_for):
    russian = _journal(world, name="Русский язык")
    lesson = F.LessonFactory(assignment=russian, date=TODAY, bell=world.lessons[0].bell, topic="Имя существительное")
    html = client_for(world.teacher).get(reverse("journal:my_journals")).content.decode()
    assert reverse("journal:grid", kwargs={"pk": world.assignment.pk}) in html
    assert reverse("journal:grid", kwargs={"pk": russian.pk}) in html
    assert reverse("journal:lesson", kwargs={"pk": lesson.pk}) in html
    assert reverse("journal:lesson", kwargs={"pk": world.lessons[-1].pk}) in html
    assert "закрыт" in html and "8 дней (до 27.11)" in html


def test_the_class_page_lists_every_journal_of_the_class_and_its_procedures(world, client_for):
    russian = _journal(world, teacher=F.UserFactory(school=world.school, last_name="Петрова"), name="Русский язык")
    html = client_for(world.class_teacher).get(reverse("journal:class_page", kwargs={"pk": world.klass.pk}))
    html = html.content.decode()
    for url in (
        reverse("journal:grid", kwargs={"pk": world.assignment.pk}),
        reverse("journal:grid", kwargs={"pk": russian.pk}),
        reverse("journal:absence_reasons", kwargs={"pk": world.klass.pk}),
        reverse("journal:class_people", kwargs={"pk": world.klass.pk}),
        reverse("journal:class_control", kwargs={"pk": world.klass.pk}),
        reverse("diary:print_class", kwargs={"class_id": world.klass.pk}),
    ):
        assert url in html
    assert reverse("journal:grid", kwargs={"pk": world.other_assignment.pk}) not in html


def test_the_class_teacher_opens_every_journal_of_her_class_read_only(world, client_for):
    client = client_for(world.class_teacher)
    page = client.get(reverse("journal:grid", kwargs={"pk": world.assignment.pk}), follow=True)
    assert page.status_code == 200 and page.context["g"].can_write is False


def _nav_links(client):
    html = client.get(reverse("home")).content.decode()
    return html[html.index('<nav class="mainnav">') : html.index("</nav>")]


def test_menu_items_follow_the_predicates(world, client_for, django_user_model):
    nav = _nav_links(client_for(world.teacher))
    assert "Мои журналы" in nav and "Журналы школы" not in nav and "Замены" not in nav
    assert "Сбои и временный журнал" not in nav and "Мой класс" not in nav

    nav = _nav_links(client_for(world.class_teacher))
    assert reverse("journal:class_page", args=[world.klass.pk]) in nav and "Мои журналы" not in nav

    nav = _nav_links(client_for(world.deputy))
    for label in ("Журналы школы", "Объяснительные", "Замены", "Сбои и временный журнал"):
        assert label in nav
    assert "Мои журналы" not in nav

    nav = _nav_links(client_for(world.parent))
    for label in ("Мои журналы", "Журналы школы", "Объяснительные", "Замены", "Мой класс"):
        assert label not in nav


def test_the_deputys_menu_counts_new_correction_requests(world, client_for):
    from journal.services import corrections

    assert "nav-count" not in _nav_links(client_for(world.deputy))
    lesson = world.lessons[0]  # locked
    F.AttendanceFactory(lesson=lesson, pupil=world.pupil)
    for reason in ("Ошибочно отмечено отсутствие ученицы", "Ученица была на олимпиаде, не отсутствовала"):
        corrections.create_lesson_request(
            world.teacher,
            lesson_id=lesson.pk,
            changes=[{"kind": "attendance", "pupil_id": world.pupil.pk, "new_value": ""}],
            reasons=reason,
        )
    nav = _nav_links(client_for(world.deputy))
    assert '<span class="nav-count"' in nav and ">2<" in nav
    assert reverse("journal:corrections") + "?status=pending" in nav
    assert "nav-count" not in _nav_links(client_for(world.director))  # she does not decide them


def test_a_substitute_who_is_not_a_teacher_gets_my_journals(world, client_for):
    F.LessonFactory(assignment=world.other_assignment, date=TODAY, bell=world.lessons[0].bell)
    substitutions.assign(
        world.deputy,
        assignment_id=world.other_assignment.pk,
        substitute_id=world.director.pk,
        date_from=TODAY,
        reason="Болезнь учителя",
    )
    client = client_for(world.director)
    assert "Мои журналы" in _nav_links(client)
    assert client.get(reverse("journal:my_journals")).status_code == 200


def test_home_and_control_class_rows_link_to_the_class_page(world, client_for):
    client = client_for(world.deputy)
    home = client.get(reverse("home")).content.decode()
    control = client.get(reverse("journal:control")).content.decode()
    for html in (home, control):
        assert reverse("journal:class_page", args=[world.klass.pk]) in html
        assert reverse("journal:class_page", args=[world.other_class.pk]) in html
    assert reverse("journal:grid", kwargs={"pk": world.assignment.pk}) in control
    own = client_for(world.class_teacher).get(reverse("home")).content.decode()
    assert reverse("journal:class_page", args=[world.klass.pk]) in own


def test_the_substitutes_home_shows_her_lessons(world, client_for):
    lesson = F.LessonFactory(assignment=world.other_assignment, date=TODAY, bell=world.lessons[0].bell)
    substitutions.assign(
        world.deputy,
        assignment_id=world.other_assignment.pk,
        substitute_id=world.teacher.pk,
        date_from=TODAY,
        reason="Болезнь учителя",
    )
    html = client_for(world.teacher).get(reverse("home")).content.decode()
    assert html.count(reverse("journal:lesson", kwargs={"pk": lesson.pk})) == 2  # today's list and «Мои замены»
    assert "замена" in html


# --- queries do not grow with the number of journals ------------------------------------------


def _add_journals(world, n, teacher=None, start=0):
    bell = world.lessons[0].bell
    for i in range(start, start + n):
        a = _journal(world, f"Курс {Lesson.objects.count()}", teacher=teacher)
        lesson = F.LessonFactory(assignment=a, date=TODAY - timedelta(days=i % 5), bell=bell, topic="Тема")
        F.AttendanceRollFactory(lesson=lesson)
        F.HomeworkFactory(lesson=lesson)
        F.SubstitutionFactory(
            lesson=F.LessonFactory(assignment=world.other_assignment, date=TODAY + timedelta(days=i + 1), bell=bell),
            substitute=world.teacher,
            assigned_by=world.deputy,
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("url_name", ["journal:my_journals", "journal:class_page", "journal:school_journals", "home"])
def test_query_count_does_not_grow_with_journals(world, client_for, url_name):
    user = world.deputy if url_name == "journal:school_journals" else world.teacher
    if url_name == "journal:class_page":
        user = world.class_teacher
    kwargs = {"pk": world.klass.pk} if url_name == "journal:class_page" else {}
    url = reverse(url_name, kwargs=kwargs)
    client = client_for(user)
    _add_journals(world, 2)
    _queries(client, url)  # the first request of a session does its own bookkeeping
    few, _ = _queries(client, url)
    _add_journals(world, 12, start=2)
    many, response = _queries(client, url)
    assert many == few, f"{few} queries with 3 journals, {many} with 15"
    assert many <= 20
    if url_name == "journal:my_journals":
        assert len(response.context["rows"]) == 15 and len(response.context["substitutions"]) == 14


def test_days_left_uses_the_local_date_late_in_the_evening(world):
    F.LessonFactory(assignment=world.assignment, date=TODAY, bell=world.lessons[0].bell)
    late = timezone.make_aware(datetime(2026, 11, 20, 23, 30), MSK)
    s = _row(J.journal_rows(J.my_journals(world.teacher, world.year), late), world.assignment).last
    assert s.days_left == 8


def test_the_substitutes_lesson_page_leads_back_to_her_journals_not_to_a_grid_she_cannot_open(world, client_for):
    lesson = F.LessonFactory(assignment=world.other_assignment, date=TODAY, bell=world.lessons[0].bell)
    substitutions.assign(
        world.deputy,
        assignment_id=world.other_assignment.pk,
        substitute_id=world.teacher.pk,
        date_from=TODAY,
        reason="Болезнь учителя",
    )
    client = client_for(world.teacher)
    grid = reverse("journal:grid", kwargs={"pk": world.other_assignment.pk})
    html = client.get(reverse("journal:lesson", kwargs={"pk": lesson.pk})).content.decode()
    assert grid not in html and reverse("journal:my_journals") in html
    assert client.get(grid).status_code == 404
    own = client.get(reverse("journal:lesson", kwargs={"pk": world.lessons[0].pk})).content.decode()
    assert reverse("journal:grid", kwargs={"pk": world.assignment.pk}) in own


def test_a_locked_lesson_offers_the_correction_request_to_its_teacher_only(world, client_for):
    url = reverse("journal:lesson", kwargs={"pk": world.lessons[0].pk})  # 09.11: locked
    fix = reverse("journal:correction_lesson_new", kwargs={"pk": world.lessons[0].pk})
    assert fix in client_for(world.teacher).get(url).content.decode()
    assert fix not in client_for(world.class_teacher).get(url).content.decode()
    open_lesson = F.LessonFactory(assignment=world.assignment, date=TODAY, bell=world.lessons[0].bell)
    html = client_for(world.teacher).get(reverse("journal:lesson", kwargs={"pk": open_lesson.pk})).content.decode()
    assert reverse("journal:correction_lesson_new", kwargs={"pk": open_lesson.pk}) not in html


def test_the_grid_header_links_the_plan_and_the_period_correction(world, client_for):
    response = client_for(world.teacher).get(reverse("journal:grid", kwargs={"pk": world.assignment.pk}), follow=True)
    html = response.content.decode()
    period = response.context["period"]
    assert reverse("journal:plan", kwargs={"pk": world.assignment.pk}) in html
    fix = reverse("journal:correction_period_new", kwargs={"pk": world.assignment.pk, "period": period.pk})
    assert fix in html
    deputy = client_for(world.deputy).get(reverse("journal:grid", kwargs={"pk": world.assignment.pk}), follow=True)
    assert reverse("journal:plan", kwargs={"pk": world.assignment.pk}) in deputy.content.decode()
    assert fix not in deputy.content.decode()  # the deputy decides requests, she does not file them
