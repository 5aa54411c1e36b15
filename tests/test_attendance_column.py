"""Issue 14: a whole attendance column of a lesson in one request and one transaction
(journal.services.save_attendance_column, journal:lesson_attendance), with one audit
row per changed cell, the roll taken, conflicts refused whole, and a bounded number of
queries whatever the size of the class."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from accounts.audit import verify_chain
from accounts.models import AuditEvent
from journal import services
from journal.models import Attendance, AttendanceRoll

from . import factories as F

TODAY = date(2026, 11, 20)


@pytest.fixture
def lesson(world, school_day):
    return F.LessonFactory(assignment=world.assignment, date=TODAY, bell=world.lessons[0].bell)


@pytest.fixture
def roster(world):
    """World's pupil and 27 classmates: 28 pupils, as in the issue."""
    others = [F.EnrollmentFactory(school_class=world.klass, start=world.year.start).pupil for _ in range(27)]
    return [world.pupil, *others]


def column(pupils, absent=(), codes=None, versions=None):
    data = {}
    for p in pupils:
        data[f"att_{p.pk}"] = (codes or {}).get(p, "н" if p in absent else "")
        data[f"v_{p.pk}"] = (versions or {}).get(p, 0)
    return data


def attendance(lesson):
    return dict(Attendance.objects.filter(lesson=lesson).values_list("pupil_id", "code"))


def trail(lesson_pks=None):
    return list(AuditEvent.objects.filter(action__startswith="attendance.").order_by("id"))


def test_all_present_but_three_in_one_request_with_an_audit_row_per_cell(
    world, client_for, lesson, roster, django_assert_max_num_queries
):
    client = client_for(world.teacher)
    absent = roster[3:6]
    url = reverse("journal:lesson_attendance", args=[lesson.pk])
    with django_assert_max_num_queries(25):
        response = client.post(url, column(roster, absent), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Посещаемость сохранена: изменено отметок — 3." in body
    assert attendance(lesson) == {p.pk: "н" for p in absent}
    # The answer updates the versions the page will send next time (out of band).
    for p in absent:
        assert f'id="v-{p.pk}" value="1" form="att-form" hx-swap-oob="true"' in body
    events = trail()
    assert [e.action for e in events] == ["attendance.create"] * 3 + ["attendance.roll"]
    assert sorted(int(e.after["pupil"]) for e in events[:3]) == sorted(p.pk for p in absent)
    assert all(e.actor_id == world.teacher.pk for e in events)
    assert AttendanceRoll.objects.filter(lesson=lesson, taken_by=world.teacher).exists()
    assert verify_chain(world.school.pk) == []


def test_a_second_save_changes_only_what_changed(world, lesson, roster):
    first = services.save_attendance_column(
        world.teacher, lesson_id=lesson.pk, codes={p.pk: "н" if p in roster[:3] else "" for p in roster}
    )
    assert first.changed == 3 and first.roll_taken
    before = AuditEvent.objects.count()
    # Pupil 0 now ill (update), pupil 1 present (delete), pupil 2 stays, pupil 3 late (create).
    codes = {p.pk: "" for p in roster}
    codes.update({roster[0].pk: "б", roster[2].pk: "н", roster[3].pk: "оп"})
    versions = {p: a.version for p, a in first.rows.items()}
    result = services.save_attendance_column(world.teacher, lesson_id=lesson.pk, codes=codes, versions=versions)

    assert result.changed == 3 and not result.roll_taken
    assert attendance(lesson) == {roster[0].pk: "б", roster[2].pk: "н", roster[3].pk: "оп"}
    new = list(AuditEvent.objects.order_by("id")[before:])
    assert sorted(e.action for e in new) == ["attendance.create", "attendance.delete", "attendance.update"]
    update = next(e for e in new if e.action == "attendance.update")
    assert (update.before["code"], update.after["code"], update.after["version"]) == ("н", "б", 2)
    assert verify_chain(world.school.pk) == []


def test_a_cell_changed_by_someone_else_refuses_the_whole_column(world, client_for, lesson, roster):
    """Nothing is lost silently: the colleague's «Б» stays, and none of the teacher's cells is written."""
    theirs = F.AttendanceFactory(lesson=lesson, pupil=roster[1], code=Attendance.Code.ILL)
    client = client_for(world.teacher)
    url = reverse("journal:lesson_attendance", args=[lesson.pk])
    # The teacher's page was opened before: it shows pupil 1 present, version 0.
    response = client.post(url, column(roster, absent=[roster[0]]), HTTP_HX_REQUEST="true")

    assert response.status_code == 409
    body = response.content.decode()
    assert "Пока вы работали, посещаемость части учеников изменили" in body
    assert f'id="att-cell-{roster[1].pk}" hx-swap-oob="true"' in body
    assert 'value="б" selected' in body
    assert attendance(lesson) == {roster[1].pk: "б"}
    assert not AuditEvent.objects.filter(action__startswith="attendance.").exists()
    assert not AttendanceRoll.objects.filter(lesson=lesson).exists()

    # Without the script: the page again, the colleague's value shown, the teacher's kept.
    response = client.post(url, column(roster, absent=[roster[0]]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "изменено коллегой" in page
    theirs.refresh_from_db()
    assert theirs.code == "б"

    # Sending what is saved now (the version shown) goes through.
    response = client.post(
        url, column(roster, codes={roster[0]: "н", roster[1]: "б"}, versions={roster[1]: theirs.version})
    )
    assert response.status_code == 302
    assert attendance(lesson) == {roster[0].pk: "н", roster[1].pk: "б"}


@pytest.mark.parametrize(
    "codes, message",
    [
        ({"x": "ч"}, "Недопустимая отметка посещаемости. Можно: Н, Б, УП, НП, ОП."),
        ({"stranger": "н"}, "Ученик не числится в классе на дату урока."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, client_for, lesson, roster, codes, message):
    data = column(roster, absent=[roster[0]])
    if "x" in codes:
        data[f"att_{roster[2].pk}"] = codes["x"]
    else:
        data[f"att_{world.other_pupil.pk}"] = "н"
    response = client_for(world.teacher).post(
        reverse("journal:lesson_attendance", args=[lesson.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert attendance(lesson) == {}
    assert not AuditEvent.objects.filter(action__startswith="attendance.").exists()


def test_latin_look_alikes_and_capitals_are_the_same_codes(world, lesson, roster, client_for):
    data = column(roster)
    data[f"att_{roster[0].pk}"] = "N"
    data[f"att_{roster[1].pk}"] = "УП"
    response = client_for(world.teacher).post(reverse("journal:lesson_attendance", args=[lesson.pk]), data)
    assert response.status_code == 302
    assert attendance(lesson) == {roster[0].pk: "н", roster[1].pk: "уп"}


def test_a_locked_lesson_and_a_reader_are_refused(world, client_for, roster):
    locked = world.lessons[0]  # 9 November: locked by 20 November
    client = client_for(world.teacher)
    response = client.post(
        reverse("journal:lesson_attendance", args=[locked.pk]), column(roster, [roster[0]]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "Урок закрыт" in response.content.decode()
    response = client_for(world.deputy).post(
        reverse("journal:lesson_attendance", args=[locked.pk]), column(roster, [roster[0]])
    )
    assert response.status_code == 403
    assert not Attendance.objects.filter(lesson=locked).exists()


def test_the_lesson_page_shows_the_saved_column_and_the_roll(world, client_for, lesson, roster):
    client = client_for(world.teacher)
    client.post(reverse("journal:lesson_attendance", args=[lesson.pk]), column(roster, [roster[0]]))
    page = client.get(reverse("journal:lesson", args=[lesson.pk])).content.decode()
    assert "Посещаемость отмечена." in page
    assert f'name="v_{roster[0].pk}" id="v-{roster[0].pk}" value="1"' in page


@pytest.mark.django_db(transaction=True)
def test_column_saves_cell_saves_and_roll_confirmations_at_once_never_deadlock(world, school_day):
    """Several writers of one lesson at once, each in its own connection: the column save
    takes the audit chain's lock before its row locks (the writers' one order)."""
    lesson = F.LessonFactory(assignment=world.assignment, date=TODAY, bell=world.lessons[0].bell)
    pupils = [world.pupil] + [F.EnrollmentFactory(school_class=world.klass).pupil for _ in range(5)]
    errors, start = [], threading.Barrier(6)

    def run(fn):
        try:
            start.wait()
            fn()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))
        finally:
            connection.close()

    def column_save(absent):
        return lambda: services.save_attendance_column(
            world.teacher, lesson_id=lesson.pk, codes={p.pk: "н" if p in absent else "" for p in pupils}
        )

    jobs = [
        column_save(pupils[:2]),
        column_save(pupils[2:4]),
        lambda: services.confirm_attendance(world.teacher, lesson_id=lesson.pk),
        lambda: services.confirm_attendance(world.teacher, lesson_id=lesson.pk),
        column_save(pupils[4:]),
        column_save(pupils[:1]),
    ]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert AttendanceRoll.objects.filter(lesson=lesson).count() == 1
    assert verify_chain(world.school.pk) == []
    # The last column saved wins whole: its absences and nothing else.
    assert len(attendance(lesson)) in (1, 2)
