"""КТП: browser-style editing, CSV/XLSX import with per-row errors, hours check, topics to lessons."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import AuditEvent
from journal.models import Lesson, LessonPlanLink, PlanItem, ThematicPlan
from journal.services import plans
from journal.services.errors import NotAllowed, ServiceError
from journal.services.plan_import import parse_plan_file

from . import factories as F

# "Today" is a fixed school day, whatever the real date.
pytestmark = pytest.mark.usefixtures("school_day")


def csv_file(text, name="ktp.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="ktp.xlsx"):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def test_rows_are_added_edited_moved_and_deleted_with_audit(world):
    t, a = world.teacher, world.assignment
    first = plans.add_item(t, assignment_id=a.pk, topic="Натуральные числа", hours=2)
    second = plans.add_item(t, assignment_id=a.pk, topic="Дроби", hours=3, work_type=world.work_type)
    inserted = plans.add_item(t, assignment_id=a.pk, topic="Повторение", hours=1, position=1)
    assert [i.topic for i in PlanItem.objects.filter(plan__assignment=a)] == [
        "Повторение",
        "Натуральные числа",
        "Дроби",
    ]

    plans.update_item(t, item_id=second.pk, topic="Обыкновенные дроби", hours=4, work_type=None)
    plans.move_item(t, item_id=inserted.pk, delta=+1)
    assert [i.topic for i in PlanItem.objects.filter(plan__assignment=a)] == [
        "Натуральные числа",
        "Повторение",
        "Обыкновенные дроби",
    ]
    plans.delete_item(t, item_id=first.pk)
    items = list(PlanItem.objects.filter(plan__assignment=a))
    assert [(i.position, i.topic, i.hours) for i in items] == [(1, "Повторение", 1), (2, "Обыкновенные дроби", 4)]
    actions = list(AuditEvent.objects.filter(action__startswith="plan.").values_list("action", flat=True))
    assert actions.count("plan.item_add") == 3 and "plan.item_update" in actions
    assert "plan.item_move" in actions and "plan.item_delete" in actions


def test_only_the_journal_teacher_edits_the_plan(world):
    with pytest.raises(NotAllowed):
        plans.add_item(world.class_teacher, assignment_id=world.assignment.pk, topic="Тема", hours=1)
    with pytest.raises(ServiceError, match="часов"):
        plans.add_item(world.teacher, assignment_id=world.assignment.pk, topic="Тема", hours=0)
    assert not PlanItem.objects.exists()


def test_csv_import_reports_each_bad_row_and_saves_nothing(world, client_for):
    text = (
        "№;Тема;Часы;Вид работы\n"
        "1;Натуральные числа;2;Ответ на уроке\n"
        "2;;1;\n"
        "3;Дроби;два;\n"
        "\n"
        "5;Проценты;1;Лабораторная\n"
        "6;Итоговая;1,5;\n"
    )
    client = client_for(world.teacher)
    url = reverse("journal:plan_import", args=[world.assignment.pk])
    resp = client.post(url, {"file": csv_file(text)})
    assert resp.status_code == 200
    errors = resp.context["parsed"].errors
    assert errors == [
        "Строка 3: не указана тема.",
        "Строка 4: «два» — количество часов должно быть целым числом от 1 до 40.",
        "Строка 6: вид работы «Лабораторная» не найден; в школе есть: Ответ на уроке.",
        "Строка 7: «1,5» — количество часов должно быть целым числом от 1 до 40.",
    ]
    assert "Строка 4:" in resp.content.decode()
    # A file with errors cannot be confirmed.
    resp = client.post(reverse("journal:plan_import_confirm", args=[world.assignment.pk]))
    assert resp.status_code == 302
    assert not PlanItem.objects.exists()


def test_xlsx_import_previews_then_saves_on_confirmation_and_shows_hours_mismatch(world, client_for):
    F.CurriculumFactory(school_class=world.klass, subject=world.subject, hours_per_week=2, hours_per_year=68)
    rows = [["Тема", "Часы", "Вид работы"], ["Натуральные числа", 30, "oral"], ["Дроби", 36, None]]
    client = client_for(world.teacher)
    resp = client.post(reverse("journal:plan_import", args=[world.assignment.pk]), {"file": xlsx_file(rows)})
    assert resp.status_code == 200
    parsed = resp.context["parsed"]
    assert parsed.errors == [] and parsed.total_hours == 66
    assert "по учебному плану 68 ч: расхождение -2 ч" in resp.content.decode()
    assert not PlanItem.objects.exists()  # preview only

    resp = client.post(reverse("journal:plan_import_confirm", args=[world.assignment.pk]))
    assert resp.status_code == 302
    items = list(PlanItem.objects.filter(plan__assignment=world.assignment))
    assert [(i.topic, i.hours, i.work_type_id) for i in items] == [
        ("Натуральные числа", 30, world.work_type.pk),
        ("Дроби", 36, None),
    ]
    assert AuditEvent.objects.filter(action="plan.import").count() == 1
    check = plans.hours_check(world.assignment)
    assert (check.plan_hours, check.curriculum_hours, check.difference, check.matches) == (66, 68, -2, False)
    page = client.get(reverse("journal:plan", args=[world.assignment.pk])).content.decode()
    assert "расхождение -2 ч" in page


def test_a_plan_with_the_english_headers_the_message_names_is_read_in_english(world):
    from django.utils import translation

    with translation.override("en"):
        parsed = parse_plan_file(csv_file("No.;Topic;Hours\n1;Equations;4\n2;Graphs;0\n"), world.school)
        with pytest.raises(ServiceError, match="the columns “Topic” and “Hours” are needed"):
            parse_plan_file(csv_file("Equations;4\n"), world.school)
    assert [(r.topic, r.hours) for r in parsed.rows] == [("Equations", 4)]
    assert parsed.errors == ["Row 3: “0”: the number of hours must be a whole number from 1 to 40."]


def test_cp1251_csv_with_commas_and_missing_header(world):
    parsed = parse_plan_file(csv_file("Тема,Часы\nУравнения,4\n", encoding="cp1251"), world.school)
    assert [(r.topic, r.hours) for r in parsed.rows] == [("Уравнения", 4)]
    with pytest.raises(ServiceError, match="Не найдена строка заголовка"):
        parse_plan_file(csv_file("Уравнения;4\n"), world.school)
    with pytest.raises(ServiceError, match="XLSX"):
        parse_plan_file(SimpleUploadedFile("ktp.xlsx", b"not a zip"), world.school)


def test_topics_go_to_empty_lessons_in_date_order_and_stay_editable(world):
    today = timezone.localdate()
    bell2 = F.BellFactory(school=world.school, number=2)
    a = F.AssignmentFactory(
        school_class=world.klass, teacher=world.teacher, subject=F.SubjectFactory(school=world.school, name="Физика")
    )
    days = [today + timedelta(days=n) for n in (0, 1, 2, 3, 4)]
    lessons = [F.LessonFactory(assignment=a, date=d, bell=world.lessons[0].bell) for d in days]
    lessons.append(F.LessonFactory(assignment=a, date=days[0], bell=bell2))  # second lesson on day 1
    cancelled = F.LessonFactory(
        assignment=a, date=today + timedelta(days=5), bell=bell2, status=Lesson.Status.CANCELLED
    )
    Lesson.objects.filter(pk=lessons[2].pk).update(topic="Своя тема")
    plans.add_item(world.teacher, assignment_id=a.pk, topic="Тема А", hours=2)
    plans.add_item(world.teacher, assignment_id=a.pk, topic="Тема Б", hours=1)
    plans.add_item(world.teacher, assignment_id=a.pk, topic="Тема В", hours=1)

    result = plans.fill_topics_from_plan(world.teacher, assignment_id=a.pk)

    ordered = list(Lesson.objects.filter(assignment=a).exclude(pk=cancelled.pk).order_by("date", "bell__number"))
    assert [lsn.topic for lsn in ordered] == ["Тема А", "Тема А", "Тема Б", "Своя тема", "Тема В", ""]
    assert len(result.filled) == 4 and result.lessons_without_topic == 1
    assert LessonPlanLink.objects.get(lesson=ordered[2]).item.topic == "Тема Б"
    assert not LessonPlanLink.objects.filter(lesson=ordered[3]).exists()
    assert Lesson.objects.get(pk=cancelled.pk).topic == ""
    assert AuditEvent.objects.filter(action="lesson.topic", reason="Тема из КТП").count() == 4
    # Editable afterwards: the lesson keeps its own text; running again does not overwrite it.
    Lesson.objects.filter(pk=ordered[0].pk).update(topic="Тема А (исправлено)")
    again = plans.fill_topics_from_plan(world.teacher, assignment_id=a.pk)
    assert again.filled == []
    assert Lesson.objects.get(pk=ordered[0].pk).topic == "Тема А (исправлено)"


def test_locked_lessons_are_skipped_by_the_fill(world):
    plans.add_item(world.teacher, assignment_id=world.assignment.pk, topic="Тема", hours=3)
    now = timezone.make_aware(timezone.datetime(2026, 11, 30, 10, 0))
    result = plans.fill_topics_from_plan(world.teacher, assignment_id=world.assignment.pk, now=now)
    assert result.filled == [] and result.skipped_locked == 3
    assert ThematicPlan.objects.get(assignment=world.assignment).items.count() == 1
    assert date(2026, 11, 9) in [lsn.date for lsn in world.lessons]


def test_plan_page_add_row_keeps_typed_text_on_error(world, client_for):
    client = client_for(world.teacher)
    url = reverse("journal:plan", args=[world.assignment.pk])
    resp = client.post(url, {"topic": "Площадь прямоугольника", "hours": "0"})
    assert resp.status_code == 200
    assert "Площадь прямоугольника" in resp.content.decode()
    assert not PlanItem.objects.exists()
    resp = client.post(url, {"topic": "Площадь прямоугольника", "hours": "2"})
    assert resp.status_code == 302
    assert PlanItem.objects.get().hours == 2
    # The class teacher reads the plan but cannot post to it.
    reader = client_for(world.class_teacher)
    assert reader.get(url).status_code == 200
    assert reader.post(url, {"topic": "Чужая", "hours": "1"}).status_code == 404
