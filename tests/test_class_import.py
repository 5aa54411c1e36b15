"""Import of a class list (issue 15): a preview with every broken row named, nothing
written until confirmed, duplicates by name + birth date (in the file and in the
school), all rows or none, size and row caps while reading."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import AuditEvent, Guardianship, User
from journal import tabular
from journal.models import Enrollment
from journal.services import class_import, contingent
from journal.services.errors import NotAllowed, ServiceError

pytestmark = [pytest.mark.usefixtures("school_day"), pytest.mark.django_db]

HEADER = "Фамилия;Имя;Отчество;Пол;Дата рождения;Родитель;Телефон;E-mail"
GOOD = [
    "Громов;Кирилл;Олегович;м;12.04.2015;Громова Алла Петровна;+7 900 111-22-33;",
    "Громова;Вера;Олеговна;ж;01.09.2016;Громова Алла Петровна;8 900 1112233;",
    "Лисицына;Дарья;;ж;30.01.2015;;;",
]
BROKEN = [
    "Кротов;;Ильич;м;05.05.2015;;;",  # row 5: no first name
    "Зайцев;Павел;;м;31.02.2015;Зайцева Ольга;;zaitseva@",  # row 6: bad date, bad e-mail
]


def _csv(lines, name="5a.csv"):
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode())


def _new_pupils(world):
    return Enrollment.objects.filter(school_class=world.klass).exclude(pupil=world.pupil)


def test_a_good_file_previews_then_imports_pupils_parents_shared_and_audited(world):
    preview = class_import.preview(world.class_teacher, world.klass, _csv(GOOD))
    assert preview.ok and [r.number for r in preview.rows] == [2, 3, 4]
    assert not _new_pupils(world).exists()  # the preview writes nothing
    created = class_import.confirm(world.class_teacher, world.klass, preview.token())
    assert [p.last_name for p in created] == ["Громов", "Громова", "Лисицына"]
    assert _new_pupils(world).count() == 3
    mother = User.objects.get(last_name="Громова", first_name="Алла")  # one mother for the two siblings
    assert Guardianship.objects.filter(parent=mother).count() == 2
    assert AuditEvent.objects.filter(action="enrollment.create", actor=world.class_teacher).count() == 3


def test_two_broken_rows_are_both_named_and_nothing_is_written(world):
    preview = class_import.preview(world.class_teacher, world.klass, _csv(GOOD + BROKEN))
    assert not preview.ok
    errors = preview.errors
    assert len(errors) == 2
    assert errors[0].startswith("Строка 5:") and "не указано имя" in errors[0]
    assert errors[1].startswith("Строка 6:") and "31.02.2015" in errors[1] and "e-mail" in errors[1]
    assert not _new_pupils(world).exists() and not User.objects.filter(last_name="Громов").exists()


def test_duplicates_in_the_file_and_in_the_school_are_row_errors(world):
    contingent.create_pupil(
        world.class_teacher, world.klass, last_name="Лисицына", first_name="Дарья", birth_date=date(2015, 1, 30)
    )
    preview = class_import.preview(world.class_teacher, world.klass, _csv([*GOOD, GOOD[0]]))
    assert [e.split(":")[0] for e in preview.errors] == ["Строка 4", "Строка 5"]
    assert "уже есть в школе" in preview.errors[0] and "уже есть в строке 2" in preview.errors[1]


def test_a_pupil_added_after_the_preview_stops_the_whole_import(world):
    preview = class_import.preview(world.class_teacher, world.klass, _csv(GOOD))
    contingent.create_pupil(
        world.class_teacher, world.klass, last_name="Лисицына", first_name="Дарья", birth_date=date(2015, 1, 30)
    )
    with pytest.raises(ServiceError) as e:
        class_import.confirm(world.class_teacher, world.klass, preview.token())
    assert "Строка 4" in e.value.message
    assert not User.objects.filter(last_name="Громов").exists()


def test_a_token_of_another_class_or_forged_is_refused(world):
    preview = class_import.preview(world.class_teacher, world.klass, _csv(GOOD))
    world.other_class.class_teacher = world.class_teacher
    world.other_class.save()
    for klass, token in ((world.other_class, preview.token()), (world.klass, preview.token() + "x")):
        with pytest.raises(ServiceError) as e:
            class_import.confirm(world.class_teacher, klass, token)
        assert e.value.code == "bad_token"


def test_a_subject_teacher_may_not_import(world):
    with pytest.raises(NotAllowed):
        class_import.preview(world.teacher, world.klass, _csv(GOOD))


def test_xlsx_with_dates_as_cells(world):
    from datetime import datetime

    wb = Workbook()
    ws = wb.active
    ws.append(["Список 5А"])
    ws.append(["Фамилия", "Имя", "Отчество", "Пол", "Дата рождения"])
    ws.append(["Громов", "Кирилл", "Олегович", "М", datetime(2015, 4, 12)])
    buf = io.BytesIO()
    wb.save(buf)
    preview = class_import.preview(world.class_teacher, world.klass, SimpleUploadedFile("5a.xlsx", buf.getvalue()))
    assert preview.ok and preview.rows[0].number == 3 and preview.rows[0].pupil.sex == "m"


def test_a_file_without_the_header_says_which_columns(world):
    with pytest.raises(ServiceError) as e:
        class_import.preview(world.class_teacher, world.klass, SimpleUploadedFile("x.csv", b"a;b\n1;2\n"))
    assert "Фамилия" in e.value.message and "Дата рождения" in e.value.message


def test_too_many_rows_stop_while_reading(world):
    lines = [f"Ученик{i};Имя;;м;01.01.2015;;;" for i in range(tabular.MAX_ROWS + 5)]
    with pytest.raises(ServiceError) as e:
        class_import.preview(world.class_teacher, world.klass, _csv(lines))
    assert e.value.code == "too_many_rows"


def test_too_big_a_file_is_refused_even_when_its_size_is_not_told(world):
    class Unsized(io.BytesIO):
        name = "big.csv"
        size = 0

    data = (HEADER + "\n" + "x;" * (tabular.MAX_BYTES // 2 + 10)).encode()
    with pytest.raises(ServiceError) as e:
        class_import.preview(world.class_teacher, world.klass, Unsized(data))
    assert e.value.code == "too_big"


# --- pages ----------------------------------------------------------------------------


def test_the_pages_preview_errors_then_import_the_fixed_file(world, client_for):
    c = client_for(world.class_teacher)
    url = reverse("journal:class_import", args=[world.klass.pk])
    r = c.post(url, {"file": _csv(GOOD + BROKEN)})
    body = r.content.decode()
    assert r.status_code == 422 and "Строка 5:" in body and "Строка 6:" in body and "ничего не записано" in body
    assert 'name="token"' not in body
    r = c.post(url, {"file": _csv(GOOD)})
    body = r.content.decode()
    assert r.status_code == 200 and 'name="token"' in body
    token = body.split('name="token" value="')[1].split('"')[0]
    r = c.post(reverse("journal:class_import_confirm", args=[world.klass.pk]), {"token": token})
    assert r.status_code == 302 and r.url == reverse("journal:class_people", args=[world.klass.pk])
    assert _new_pupils(world).count() == 3


# --- the staff list (the administrator) ----------------------------------------------

from journal.services import staff_import  # noqa: E402

STAFF_HEADER = "Фамилия;Имя;Отчество;Пол;Дата рождения;E-mail;Должность"


def _staff_csv(lines):
    return SimpleUploadedFile("staff.csv", ("\n".join([STAFF_HEADER, *lines]) + "\n").encode())


STAFF = [
    "Ветрова;Анна;Игоревна;ж;03.03.1980;vetrova@example.ru;учитель",
    "Гусев;Пётр;Ильич;м;;gusev@example.ru;Заместитель директора",
]


def test_the_staff_list_previews_then_creates_accounts_with_roles(world):
    preview = staff_import.preview(world.admin, _staff_csv(STAFF))
    assert preview.ok and not User.objects.filter(last_name="Ветрова").exists()
    created = staff_import.confirm(world.admin, preview.token())
    assert [u.last_name for u in created] == ["Ветрова", "Гусев"]
    gusev = User.objects.get(last_name="Гусев")
    assert list(gusev.roles.values_list("role", flat=True)) == ["deputy"] and not gusev.has_usable_password()


def test_the_staff_list_names_broken_rows_and_existing_people_and_writes_nothing(world):
    lines = [*STAFF, "Соколов;Андрей;Викторович;м;;;", ";Олег;;м;;;", "Лосев;Иван;;м;;losev@;дворник"]
    world.teacher.email = ""
    world.teacher.save()
    preview = staff_import.preview(world.admin, _staff_csv(lines))
    numbers = [e.split(":")[0] for e in preview.errors]
    assert numbers == ["Строка 5", "Строка 6"]
    assert "не указана фамилия" in preview.errors[0]
    assert "losev@" in preview.errors[1] and "дворник" in preview.errors[1]
    assert not User.objects.filter(last_name="Ветрова").exists()
    # the same e-mail as a colleague's: already in the school
    world.teacher.email = "vetrova@example.ru"
    world.teacher.last_name, world.teacher.first_name, world.teacher.patronymic = "Ветрова", "Анна", "Игоревна"
    world.teacher.save()
    again = staff_import.preview(world.admin, _staff_csv(STAFF))
    assert again.errors == [f"Строка 2: Ветрова Анна Игоревна уже есть в школе (логин {world.teacher.username})."]


def test_only_the_administrator_imports_staff(world):
    with pytest.raises(NotAllowed):
        staff_import.preview(world.deputy, _staff_csv(STAFF))
