"""The lesson page's forms, each posted to its own URL: topic, homework, graded works,
pupils' comments and individual homework. Each answers with a redirect back to the
lesson page and a message, or the page with the refused form (422)."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from journal.models import Assessment, Attendance, Homework, IndividualHomework, LessonComment, Mark

from . import factories as F

TODAY = date(2026, 11, 20)


@pytest.fixture
def lesson(world, school_day):
    """Today's lesson of our teacher, open for entry."""
    return F.LessonFactory(assignment=world.assignment, date=TODAY, bell=world.lessons[0].bell)


@pytest.fixture
def second_pupil(world):
    return F.EnrollmentFactory(school_class=world.klass, start=world.year.start).pupil


def post(client, name, lesson, data):
    return client.post(reverse(f"journal:{name}", args=[lesson.pk]), data)


def said(response):
    """The message this response added (the earlier ones wait, unread, in the session)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def back_to_page(response, lesson):
    return response.status_code == 302 and response["Location"] == reverse("journal:lesson", args=[lesson.pk])


def test_pupil_notes_are_saved_and_read_back_and_attendance_stays(world, client_for, lesson, second_pupil):
    """Issue 14: the comments and individual homework form answered 500."""
    absent = F.AttendanceFactory(lesson=lesson, pupil=second_pupil, code=Attendance.Code.ABSENT)
    attendance_before = list(Attendance.objects.filter(lesson=lesson).values_list("pupil_id", "code", "version"))
    client = client_for(world.teacher)

    response = post(
        client,
        "lesson_pupil_notes",
        lesson,
        {
            f"comment_{world.pupil.pk}": "Отлично отвечал у доски",
            f"homework_{world.pupil.pk}": "Карточка № 3",
            f"comment_{second_pupil.pk}": "Болел",
            f"homework_{second_pupil.pk}": "",
        },
    )

    assert back_to_page(response, lesson)
    assert said(response) == "Комментарии и индивидуальные задания сохранены."
    assert dict(LessonComment.objects.filter(lesson=lesson).values_list("pupil_id", "text")) == {
        world.pupil.pk: "Отлично отвечал у доски",
        second_pupil.pk: "Болел",
    }
    assert dict(IndividualHomework.objects.filter(lesson=lesson).values_list("pupil_id", "text")) == {
        world.pupil.pk: "Карточка № 3"
    }
    page = client.get(reverse("journal:lesson", args=[lesson.pk])).content.decode()
    assert f'name="comment_{world.pupil.pk}" value="Отлично отвечал у доски"' in page
    assert f'name="homework_{world.pupil.pk}" value="Карточка № 3"' in page
    assert f'name="comment_{second_pupil.pk}" value="Болел"' in page
    # Comments and homework only: the attendance of the lesson is as it was.
    assert list(Attendance.objects.filter(lesson=lesson).values_list("pupil_id", "code", "version")) == (
        attendance_before
    )
    absent.refresh_from_db()
    assert absent.code == Attendance.Code.ABSENT


def test_pupil_notes_of_a_pupil_not_in_the_class_are_refused_and_nothing_is_saved(world, client_for, lesson):
    response = post(
        client_for(world.teacher),
        "lesson_pupil_notes",
        lesson,
        {f"comment_{world.pupil.pk}": "Молодец", f"comment_{world.other_pupil.pk}": "Чужой ученик"},
    )
    assert response.status_code == 422
    assert "Не сохранено: исправьте отмеченные строки." in response.content.decode()
    assert not LessonComment.objects.filter(lesson=lesson).exists()


def test_topic_is_saved_and_a_stale_version_is_refused(world, client_for, lesson):
    client = client_for(world.teacher)
    response = post(client, "lesson_topic", lesson, {"topic": "Сложение дробей", "version": lesson.version})
    assert back_to_page(response, lesson)
    assert said(response) == "Тема сохранена."
    lesson.refresh_from_db()
    assert lesson.topic == "Сложение дробей"

    response = post(client, "lesson_topic", lesson, {"topic": "Вычитание дробей", "version": lesson.version - 1})
    assert response.status_code == 422
    lesson.refresh_from_db()
    assert lesson.topic == "Сложение дробей"

    response = post(client, "lesson_topic", lesson, {"topic": "Без версии"})
    assert response.status_code == 422


def test_homework_is_saved(world, client_for, lesson):
    response = post(client_for(world.teacher), "lesson_homework", lesson, {"text": "§ 12, № 1–5"})
    assert back_to_page(response, lesson)
    assert said(response) == "Домашнее задание сохранено."
    assert Homework.objects.get(lesson=lesson).text == "§ 12, № 1–5"


def test_graded_works_are_added_changed_and_removed(world, client_for, lesson):
    client = client_for(world.teacher)
    other_type = F.WorkTypeFactory(school=world.school, name="Самостоятельная работа")

    response = post(
        client,
        "lesson_work_add",
        lesson,
        {"new-work_type": world.work_type.pk, "new-weight": "1,5", "new-description": "у доски"},
    )
    assert back_to_page(response, lesson)
    assert said(response) == "Работа добавлена."
    work = Assessment.objects.get(lesson=lesson)
    assert (work.work_type, work.weight, work.description) == (world.work_type, Decimal("1.5"), "у доски")

    response = post(
        client,
        "lesson_work_change",
        lesson,
        {
            "assessment": work.pk,
            f"w{work.pk}-work_type": other_type.pk,
            f"w{work.pk}-weight": "2",
            f"w{work.pk}-description": "",
        },
    )
    assert back_to_page(response, lesson)
    assert said(response) == "Работа изменена."
    work.refresh_from_db()
    assert (work.work_type, work.weight) == (other_type, 2)

    F.MarkFactory(assessment=work, pupil=world.pupil)
    response = post(client, "lesson_work_remove", lesson, {"assessment": work.pk, f"r{work.pk}-reason": ""})
    assert response.status_code == 422, "a work with marks is removed only with a reason"
    assert Assessment.objects.filter(pk=work.pk).exists()

    response = post(client, "lesson_work_remove", lesson, {"assessment": work.pk, f"r{work.pk}-reason": "не та работа"})
    assert back_to_page(response, lesson)
    assert said(response) == "Работа удалена."
    assert not Assessment.objects.filter(pk=work.pk).exists()
    assert not Mark.objects.filter(assessment__lesson=lesson).exists()


@pytest.mark.parametrize("name", ["lesson_work_change", "lesson_work_remove"])
def test_a_work_of_another_lesson_is_not_found(world, client_for, lesson, name):
    elsewhere = F.AssessmentFactory(lesson=world.lessons[1], work_type=world.work_type)
    response = post(client_for(world.teacher), name, lesson, {"assessment": elsewhere.pk})
    assert back_to_page(response, lesson)
    assert said(response) == "Работа не найдена: обновите страницу."
    assert Assessment.objects.filter(pk=elsewhere.pk).exists()


def test_the_page_forms_post_to_their_own_urls_and_the_page_takes_no_post(world, client_for, lesson):
    F.AssessmentFactory(lesson=lesson, work_type=world.work_type)
    client = client_for(world.teacher)
    page = client.get(reverse("journal:lesson", args=[lesson.pk])).content.decode()
    for name in (
        "lesson_topic",
        "lesson_homework",
        "lesson_work_add",
        "lesson_work_change",
        "lesson_work_remove",
        "lesson_pupil_notes",
    ):
        assert f'action="{reverse(f"journal:{name}", args=[lesson.pk])}"' in page, name
        assert client.get(reverse(f"journal:{name}", args=[lesson.pk])).status_code == 405
    assert 'name="action"' not in page
    assert post(client, "lesson", lesson, {"topic": "Дроби"}).status_code == 405


@pytest.mark.parametrize("classmates", [1, 29])
def test_the_lesson_page_takes_a_fixed_number_of_queries(
    world, client_for, lesson, classmates, django_assert_max_num_queries
):
    """Issue 14 (speed): the page's queries do not grow with the class, its works or its records."""
    pupils = [world.pupil] + [F.EnrollmentFactory(school_class=world.klass).pupil for _ in range(classmates)]
    works = [F.AssessmentFactory(lesson=lesson, work_type=world.work_type) for _ in range(2)]
    for p in pupils:
        F.AttendanceFactory(lesson=lesson, pupil=p)
        F.LessonCommentFactory(lesson=lesson, pupil=p)
        for w in works:
            F.MarkFactory(assessment=w, pupil=p)
    client = client_for(world.teacher)
    client.get(reverse("journal:lesson", args=[lesson.pk]))  # warm the per-process caches
    with django_assert_max_num_queries(12):
        response = client.get(reverse("journal:lesson", args=[lesson.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('<select name="att_') == len(pupils)
