"""Subgroups with dated memberships (issue 15, point 4; docs/DESIGN.md §3.16): the
database's rules, the services of the «Подгруппы» page, and what a move does to the
readers of group rosters (the grid, the lesson's roster, the diary, the reports, the
deadline checks' SQL, the timetable's clash check)."""

import re
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import AuditEvent, RoleAssignment
from journal.models import Enrollment, GroupMembership, GroupSplit, StudyPeriod
from journal.models.dated import ROSTER
from journal.services import groups as service
from journal.services.attendance import roster_ids
from journal.services.errors import NotAllowed, ServiceError

from . import factories as F
from .world import add_groups

MOVE = date(2026, 11, 16)


@pytest.fixture
def g(world):
    return add_groups(world)


def _second_journal(world, g):
    return F.AssignmentFactory(
        school_class=world.klass, group=g.second, subject=g.journal.subject, teacher=world.other_assignment.teacher
    )  # fmt: skip


# --- the database ----------------------------------------------------------------------


def test_the_split_of_a_membership_is_its_groups_kept_by_the_database(world, g):
    m = GroupMembership.objects.get(group=g.first, pupil=world.pupil)
    assert GroupMembership.objects.filter(pk=m.pk, split=g.split).exists()
    other = F.GroupSplitFactory(school_class=world.klass, name="труд")
    g.first.split = other
    g.first.save()
    assert GroupMembership.objects.filter(pk=m.pk, split=other).exists()


def test_a_pupil_is_never_twice_in_one_group_on_a_day(world, g):
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(group=g.first, pupil=world.pupil, start=date(2026, 12, 1))
    # one after the other is fine
    GroupMembership.objects.filter(group=g.first, pupil=world.pupil).update(end=date(2026, 11, 30))
    GroupMembership.objects.create(group=g.first, pupil=world.pupil, start=date(2026, 12, 1))


def test_a_pupil_is_never_in_two_groups_of_one_split_on_a_day(world, g):
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(group=g.second, pupil=world.pupil, start=date(2027, 2, 1))
    # a group of another split, or one standing alone, may share him
    labour = F.GroupFactory(school_class=world.klass, split=F.GroupSplitFactory(school_class=world.klass, name="труд"))
    GroupMembership.objects.create(group=labour, pupil=world.pupil, start=date(2026, 9, 1))
    GroupMembership.objects.create(group=F.GroupFactory(school_class=world.klass), pupil=world.pupil, start=MOVE)


def test_the_end_is_not_before_the_start(world, g):
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(group=g.second, pupil=world.other_pupil, start=MOVE, end=date(2026, 11, 1))


def test_on_and_overlapping_ask_the_dates(world, g):
    GroupMembership.objects.filter(group=g.first).update(end=date(2026, 11, 15))
    first = GroupMembership.objects.filter(group=g.first)
    assert first.on(date(2026, 11, 15)).exists() and not first.on(MOVE).exists()
    assert first.overlapping(date(2026, 11, 10), date(2026, 12, 1)).exists()
    assert not first.overlapping(MOVE, date(2026, 12, 1)).exists()


def test_roster_and_its_sql_twin_follow_the_dated_membership(world, g):
    """Enrollment.objects.roster() and ROSTER (the deadline checks' SQL) agree around a move."""
    from django.db import connection

    service.move_member(world.class_teacher, g.first, world.pupil.pk, MOVE, g.second)
    second = _second_journal(world, g)
    sql = f"SELECT e.pupil_id FROM journal_teachingassignment a CROSS JOIN LATERAL (SELECT e.pupil_id FROM {ROSTER.format(day='%(day)s')}) e WHERE a.id = %(a)s"
    for day, in_first in ((date(2026, 11, 15), True), (MOVE, False)):
        for journal, expected in ((g.journal, in_first), (second, not in_first)):
            python = set(Enrollment.objects.roster(journal, day).values_list("pupil_id", flat=True))
            with connection.cursor() as cur:
                cur.execute(sql, {"day": day, "a": journal.pk})
                assert {r[0] for r in cur.fetchall()} == python
            assert (world.pupil.pk in python) is expected, (journal, day)


# --- the services ---------------------------------------------------------------------


def test_a_split_makes_its_groups_and_is_audited(world):
    split = service.create_split(world.class_teacher, world.klass, name=" труд ", groups=3)
    assert split.name == "труд"
    assert list(split.groups.values_list("name", flat=True)) == [
        "1 группа (труд)",
        "2 группа (труд)",
        "3 группа (труд)",
    ]
    ev = AuditEvent.objects.get(action="group_split.create")
    assert ev.object_id == str(split.pk) and ev.actor_id == world.class_teacher.pk
    with pytest.raises(ServiceError, match="уже есть деление «труд»"):
        service.create_split(world.class_teacher, world.klass, name="Труд", groups=2)
    with pytest.raises(ServiceError, match="от 2 до 4"):
        service.create_split(world.class_teacher, world.klass, name="информ.", groups=7)
    with pytest.raises(NotAllowed):
        service.create_split(world.teacher, world.klass, name="информ.", groups=2)
    assert GroupSplit.objects.count() == 1


def test_adding_pupils_says_in_russian_what_is_wrong_and_writes_nothing(world, g):
    newcomer = F.UserFactory(school=world.school, last_name="Петров", first_name="Илья", patronymic="Андреевич")
    F.EnrollmentFactory(school_class=world.klass, pupil=newcomer, start=date(2026, 11, 10))
    with pytest.raises(ServiceError, match=r"Дата 01\.06\.2027 — вне учебного года 2026/2027"):
        service.add_members(world.class_teacher, g.second, [newcomer.pk], date(2027, 6, 1))
    with pytest.raises(ServiceError) as err:
        service.add_members(world.class_teacher, g.second, [newcomer.pk, world.pupil.pk], date(2026, 11, 2))
    assert "Петров Илья Андреевич не числится в классе 5А на 02.11.2026" in err.value.message
    assert "Иванова Мария Алексеевна с 02.11.2026 в группе «1 группа (англ.)» этого деления" in err.value.message
    with pytest.raises(ServiceError, match="Иванова Мария Алексеевна уже в группе «1 группа \\(англ.\\)»"):
        service.add_members(world.class_teacher, g.first, [world.pupil.pk], MOVE)
    with pytest.raises(ServiceError, match="не числится"):  # a pupil of another class
        service.add_members(world.class_teacher, g.second, [world.other_pupil.pk], MOVE)
    assert not GroupMembership.objects.filter(group=g.second).exists()

    made = service.add_members(world.teacher, g.second, [newcomer.pk], MOVE)  # group 1's teacher: same split
    assert [(m.pupil_id, m.start, m.end) for m in made] == [(newcomer.pk, MOVE, None)]
    assert AuditEvent.objects.filter(action="group_membership.create", object_id=str(made[0].pk)).exists()


def test_a_teacher_of_another_split_may_not_change_this_one(world, g):
    labour = F.GroupFactory(school_class=world.klass, split=F.GroupSplitFactory(school_class=world.klass, name="труд"))
    F.AssignmentFactory(school_class=world.klass, group=labour, teacher=world.other_assignment.teacher)
    with pytest.raises(NotAllowed):
        service.add_members(world.other_assignment.teacher, g.second, [world.pupil.pk], MOVE)
    service.add_members(world.other_assignment.teacher, labour, [world.pupil.pk], MOVE)


def test_the_secretary_forms_groups_and_the_deputy_only_reads(world, g, client):
    secretary = F.UserFactory(school=world.school)
    F.RoleFactory(user=secretary, school=world.school, role=RoleAssignment.Role.SECRETARY)
    url = reverse("journal:class_groups", kwargs={"pk": world.klass.pk})
    client.force_login(secretary)
    assert client.get(reverse("journal:contingent_classes")).content.decode().count(url) == 1
    assert "Новое деление на группы" in client.get(url).content.decode()
    service.create_split(secretary, world.klass, name="труд", groups=2)
    client.force_login(world.deputy)
    page = client.get(url).content.decode()
    assert "Иванова Мария Алексеевна" in page and "Новое деление на группы" not in page and "Перевести" not in page


def _cell(html, pupil, lesson):
    match = re.search(rf'<td[^>]*data-cell="{pupil.pk}-{lesson.pk}"[^>]*>(.*?)</td>', html)
    return match.group(1) if match else None


def test_a_move_keeps_the_old_groups_history(world, g, client):
    """The old group's grid shows his mark before the move, the new group's grid shows
    him from the move; the lesson rosters, the diary and the reports follow the dates."""
    second = _second_journal(world, g)
    bell = F.BellFactory(school=world.school, number=4)
    before = F.LessonFactory(assignment=g.journal, date=date(2026, 11, 9), bell=bell)
    after_old = F.LessonFactory(assignment=g.journal, date=date(2026, 11, 18), bell=bell)
    after_new = F.LessonFactory(assignment=second, date=date(2026, 11, 18), bell=F.BellFactory(school=world.school))
    F.MarkFactory(
        assessment=F.AssessmentFactory(lesson=before, work_type=world.work_type), pupil=world.pupil, value="4"
    )

    with pytest.raises(ServiceError, match=r"отметки или посещаемость в группе «1 группа \(англ.\)» за 09\.11\.2026"):
        service.move_member(world.class_teacher, g.first, world.pupil.pk, date(2026, 11, 9), g.second)
    move = service.move_member(world.teacher, g.first, world.pupil.pk, MOVE, g.second)
    assert (move.closed.start, move.closed.end) == (date(2026, 9, 1), date(2026, 11, 15))
    assert (move.opened.group, move.opened.start, move.opened.end) == (g.second, MOVE, None)
    assert set(AuditEvent.objects.filter(action__startswith="group_membership.").values_list("action", flat=True)) == {
        "group_membership.update",
        "group_membership.create",
    }

    q2 = StudyPeriod.objects.get(year=world.year, scheme="quarter", number=2)
    client.force_login(world.teacher)
    old = client.get(reverse("journal:grid_period", kwargs={"pk": g.journal.pk, "period": q2.pk})).content.decode()
    assert "4" in _cell(old, world.pupil, before)
    assert _cell(old, world.pupil, after_old) is None  # an off cell: not in the group that day
    assert "в группе по 15.11" in old
    client.force_login(world.other_assignment.teacher)
    new = client.get(reverse("journal:grid_period", kwargs={"pk": second.pk, "period": q2.pk})).content.decode()
    assert _cell(new, world.pupil, after_new) is not None and "в группе с 16.11" in new
    assert roster_ids(before) == {world.pupil.pk} and roster_ids(after_old) == set()
    assert roster_ids(after_new) == {world.pupil.pk}

    # the diary: the old group's lesson before the move, the new group's after it
    from diary.week import pupil_lessons

    enrollments = list(Enrollment.objects.filter(pupil=world.pupil).select_related("school_class__year"))
    seen = set(
        pupil_lessons(world.pupil, enrollments, date(2026, 11, 9), date(2026, 11, 21)).values_list("pk", flat=True)
    )
    assert {before.pk, after_new.pk} <= seen and after_old.pk not in seen

    # the reports: the old group's pages end with the move, the new group's begin with it
    from reports.builders.subject import assignment_pupils

    assert [(e.start, e.end) for e in assignment_pupils(g.journal, q2.start, q2.end)] == [
        (date(2026, 9, 1), date(2026, 11, 15))
    ]
    assert [(e.start, e.end) for e in assignment_pupils(second, q2.start, q2.end)] == [(MOVE, None)]


def test_leaving_a_group_and_a_move_on_the_first_day(world, g):
    service.move_member(world.class_teacher, g.first, world.pupil.pk, MOVE, g.second)
    # moved back on the day he arrived: the row of one day that never was goes
    service.move_member(world.class_teacher, g.second, world.pupil.pk, MOVE, g.first)
    assert not GroupMembership.objects.filter(group=g.second).exists()
    assert AuditEvent.objects.filter(action="group_membership.delete").count() == 1
    rows = list(GroupMembership.objects.filter(group=g.first).order_by("start").values_list("start", "end"))
    assert rows == [(date(2026, 9, 1), date(2026, 11, 15)), (MOVE, None)]
    with pytest.raises(ServiceError, match="не состоит в группе «2 группа \\(англ.\\)» на 16.11.2026"):
        service.move_member(world.class_teacher, g.second, world.pupil.pk, MOVE, None)
    service.move_member(world.class_teacher, g.first, world.pupil.pk, date(2026, 12, 1), None)
    assert not GroupMembership.objects.filter(group=g.first).on(date(2026, 12, 1)).exists()


def test_the_page_shows_a_refusal_with_what_was_typed(world, g, client):
    client.force_login(world.class_teacher)
    url = reverse("journal:group_move", kwargs={"pk": g.first.pk})
    prefix = f"move-g{g.first.pk}"
    resp = client.post(
        url + "?date=2026-11-20",
        {f"{prefix}-pupil": world.pupil.pk, f"{prefix}-to_group": g.second.pk, f"{prefix}-day": "2027-07-01"},
    )
    assert resp.status_code == 422
    html = resp.content.decode()
    assert "Дата 01.07.2027 — вне учебного года 2026/2027" in html
    assert 'value="2027-07-01"' in html
    assert GroupMembership.objects.filter(group=g.first, end__isnull=True).exists()


def test_a_subgroup_clashes_with_a_group_of_another_split_sharing_a_pupil(world, g, school_day):
    from journal.services import lesson_changes

    deputy = world.deputy
    labour_split = F.GroupSplitFactory(school_class=world.klass, name="труд")
    labour = F.GroupFactory(school_class=world.klass, split=labour_split, name="1 группа (труд)")
    labour_journal = F.AssignmentFactory(school_class=world.klass, group=labour, teacher=world.other_assignment.teacher)
    second = _second_journal(world, g)
    bell = F.BellFactory(school=world.school, number=5)
    day = date(2026, 11, 24)
    F.LessonFactory(assignment=g.journal, date=day, bell=bell)
    # group 2 of English shares nobody with group 1: no clash
    assert lesson_changes.find_clash(second, day, bell, None) == ""
    # labour group 1 shares nobody yet, then Мария from the 23rd
    assert lesson_changes.find_clash(labour_journal, day, bell, None) == ""
    service.add_members(world.class_teacher, labour, [world.pupil.pk], date(2026, 11, 23))
    assert "У учеников группы 1 группа (труд)" in lesson_changes.find_clash(labour_journal, day, bell, None)
    with pytest.raises(ServiceError, match="У учеников группы"):
        lesson_changes.add_lesson(deputy, assignment_id=labour_journal.pk, day=day, bell_id=bell.pk)


def test_the_groups_teacher_reaches_the_page_from_her_groups_grid(world, g, client):
    client.force_login(world.teacher)
    q2 = StudyPeriod.objects.get(year=world.year, scheme="quarter", number=2)
    grid = client.get(reverse("journal:grid_period", kwargs={"pk": g.journal.pk, "period": q2.pk})).content.decode()
    url = reverse("journal:class_groups", kwargs={"pk": world.klass.pk})
    assert f'href="{url}">Состав группы</a>' in grid
    page = client.get(url).content.decode()
    assert "Перевести из группы «1 группа (англ.)»" in page and "Новое деление на группы" not in page
    # the class journal's grid has no such link
    maths = client.get(reverse("journal:grid_period", kwargs={"pk": world.assignment.pk, "period": q2.pk}))
    assert url not in maths.content.decode()
