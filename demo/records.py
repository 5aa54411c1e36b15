"""The demo's journal records: lessons from the timetable (made by the journal's own
lesson service, as in a real school), then topics, homework, graded works, marks and
attendance for every lesson before `today`, written with PostgreSQL COPY (see
generator.py for why they bypass the services), and the period marks of the periods
finished by `today` (demo/period_marks.py)."""

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import connection
from django.utils import timezone

from journal import models as M
from journal import rules
from journal.models.plans import MAX_ITEM_HOURS
from journal.services import lesson_sync

from . import curriculum as C
from .period_marks import write_period_marks

if TYPE_CHECKING:
    from .generator import Journal


def local_dt(day: date, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, t))


class RecordsMixin:
    """The records part of SchoolSeeder (it brings rng, today, year, journals, counts)."""

    def build_thematic_plans(self):
        """Each journal's КТП: the year's topics in the order its lessons take them, the
        hours adding up to the curriculum line, as a teacher enters them by September."""
        plans, runs_by_plan = [], []
        for j in self.journals:
            topics, offset, year_lessons = self._topic_sequence(j)
            runs: list = []
            for n in range(1, year_lessons + 1):
                topic = topics[(offset + (n - 1) * len(topics) // year_lessons) % len(topics)]
                if runs and runs[-1][0] == topic and runs[-1][1] < MAX_ITEM_HOURS:
                    runs[-1][1] += 1
                else:
                    runs.append([topic, 1])
            plans.append(M.ThematicPlan(assignment=j.obj, updated_by=j.teacher.user))
            runs_by_plan.append(runs)
        M.ThematicPlan.objects.bulk_create(plans, batch_size=2000)
        items = [
            M.PlanItem(plan=plan, position=position, topic=topic, hours=hours)
            for plan, runs in zip(plans, runs_by_plan, strict=True)
            for position, (topic, hours) in enumerate(runs, 1)
        ]
        M.PlanItem.objects.bulk_create(items, batch_size=5000)
        self.counts["plan_items"] = len(items)

    def _topic_sequence(self, j: "Journal"):
        """The subject's topics, where this course starts in them, and the year's lessons."""
        topics = C.TOPICS[j.subject]
        # The year's topics spread evenly over the year's lessons, each course from its own place in the list.
        offset = j.plan.grade * 3 % len(topics)
        return topics, offset, j.plan.hours[j.subject] * C.year_weeks(j.plan.grade)

    def build_lessons_and_records(self):
        self.build_thematic_plans()
        # The school entered its timetable before 1 September and the lesson service made the
        # lessons from the first day; the nightly sync has kept them to the end of the current
        # period (at least two weeks ahead) since. Records are only written for lessons before today.
        synced = lesson_sync.sync_school(
            self.school.pk,
            today=self.year.start - timedelta(days=1),
            start=self.year.start,
            until=lesson_sync.horizon(self.school.pk, self.today),
            reason="Демонстрационные данные",
        )
        self.counts["lessons"] = synced.created
        rows = M.Lesson.objects.filter(assignment__school_class__year=self.year, date__lt=self.today).values_list(
            "id", "assignment_id", "date", "bell__number"
        )
        by_assignment: dict = {}
        for lesson_id, assignment_id, day, bell in rows:
            by_assignment.setdefault(assignment_id, []).append((day, bell, lesson_id))
        absences = self._absence_plan(by_assignment)
        w = _Writer()
        for j in self.journals:
            lessons = sorted(by_assignment.get(j.obj.pk, []))
            self._journal_records(j, lessons, absences, w)
        w.flush(self)
        self.counts.update(w.counts)
        self.counts["period_marks"] = write_period_marks(self.school.pk, self.today)

    def _absence_plan(self, by_assignment):
        """Per pupil: the days of illness spells (Б, or Н when no certificate was brought)."""
        rng = self.rng
        days_by_plan: dict = {}
        for j in self.journals:
            days = days_by_plan.setdefault(id(j.plan), set())
            days.update(d for d, _, _ in by_assignment.get(j.obj.pk, []))
        plan: dict = {}
        for p in self.plans:
            days = sorted(days_by_plan.get(id(p), ()))
            for pupil, *_ in p.pupils:
                sick = {}
                i = 0
                while i < len(days):
                    if rng.random() < 0.011:
                        length = rng.randint(2, 6)
                        code = "б" if rng.random() < 0.75 else "н"
                        spell = days[i : i + length]
                        for d in spell:
                            sick[d] = (code, spell[-1])
                        i += length
                    else:
                        i += 1
                plan[pupil.username] = sick
        return plan

    def _journal_records(self, j: "Journal", lessons, absences, w):
        rng = self.rng
        plan = j.plan
        code = j.subject
        teacher = j.teacher.user
        with_marks = rules.grade_gets_marks(plan.grade, self.school)
        with_homework = rules.grade_gets_homework(plan.grade, self.school)
        pass_fail = C.SUBJECTS[code][3]
        members = plan.pupils
        if j.group_no is not None:
            # The days each pupil is both enrolled and in the group (dated memberships).
            stays = {}
            for u, gs, ge in plan.group_pupils[j.group_no]:
                stays.setdefault(u.username, []).append((gs, ge))
            members = [
                (pupil, max(s, gs), ge if e is None else (e if ge is None else min(e, ge)), ability)
                for pupil, s, e, ability in plan.pupils
                for gs, ge in stays.get(pupil.username, ())
            ]
        topics, offset, year_lessons = self._topic_sequence(j)
        test_every = rng.randint(7, 10)
        bells = {b.number: b for b in self.bells}
        hw_page, hw_no, hw_par = rng.randint(5, 30), rng.randint(1, 40), rng.randint(1, 5)
        for n, (day, bell_no, lesson_id) in enumerate(lessons, 1):
            bell = bells[bell_no]
            lesson_end = local_dt(day, bell.ends)
            present = []
            absences_before = len(w.attendance_rows)
            for pupil, s, e, ability in members:
                if day < s or (e is not None and day > e):
                    continue
                sick = absences[pupil.username].get(day)
                if sick:
                    code_, spell_end = sick
                    w.attendance(
                        lesson_id, pupil, code_, teacher, lesson_end, plan.class_teacher.user, spell_end, self.today
                    )
                    continue
                roll = rng.random()
                if roll < 0.004:
                    w.attendance(
                        lesson_id, pupil, M.Attendance.Code.ABSENT.value, teacher, lesson_end, None, None, self.today
                    )
                    continue
                if roll < 0.005:
                    w.attendance(
                        lesson_id,
                        pupil,
                        M.Attendance.Code.EXCUSED.value,
                        teacher,
                        lesson_end,
                        plan.class_teacher.user,
                        day,
                        self.today,
                    )
                    continue
                if roll < 0.011:
                    w.attendance(
                        lesson_id, pupil, M.Attendance.Code.LATE.value, teacher, lesson_end, None, None, self.today
                    )
                present.append((pupil, ability))
            if len(w.attendance_rows) == absences_before:
                # Everyone present: the teacher's «Посещаемость отмечена» is what shows the roll
                # was taken (docs/DESIGN.md §3.2); otherwise the lesson counts as unfilled.
                w.roll(lesson_id, teacher, lesson_end)
            topic = topics[(offset + (n - 1) * len(topics) // year_lessons) % len(topics)]
            is_test = with_marks and code in C.TESTS and n % test_every == 0
            if is_test:
                wt = C.TESTS[code]
                label = "Диктант" if wt == "dictation" else ("Сочинение" if wt == "essay" else "Контрольная работа")
                lesson_topic = f"{label} по теме «{topic}»" if code != "eng" else f"Test: {topic}"
            else:
                lesson_topic = topic
            w.topic(lesson_id, lesson_topic, lesson_end)
            # homework
            if with_homework and rng.random() < (0.1 if code in C.LIGHT_HOMEWORK else 0.85):
                hw_page += rng.randint(2, 6)
                hw_no += rng.randint(2, 8)
                if rng.random() < 0.5:
                    hw_par += 1
                text = rng.choice(C.HOMEWORK[code]).format(
                    n=hw_no, n2=hw_no + rng.randint(1, 4), p=hw_page, p2=hw_page + rng.randint(2, 6), s=hw_par,
                    s2=hw_par + 1,
                )  # fmt: skip
                w.homework(lesson_id, text, lesson_end + timedelta(minutes=rng.randint(0, 40)))
            if not with_marks or not present:
                continue
            position = 0

            def assess(work_code, pupils, marked_at, description="", _lesson_id=lesson_id):
                nonlocal position
                position += 1
                aid = w.assessment(_lesson_id, self.work_types[work_code], position, description)
                for pupil, ability in pupils:
                    w.mark(aid, pupil, self._mark(ability, pass_fail), teacher, marked_at)

            if is_test:
                # Written works are checked and marked the next day.
                checked = (
                    local_dt(day + timedelta(days=1), time(15, 0))
                    if day + timedelta(days=1) < self.today
                    else lesson_end
                )
                assess(C.TESTS[code], present, checked, lesson_topic)
                continue
            # Fewer hours a week → more marks per lesson, so every pupil has enough marks for the period.
            hours = plan.hours[code]
            oral = rng.randint(0 if hours >= 3 else 1, 3 + round(3 / hours))
            if pass_fail:
                oral = rng.randint(0, 1)
            if oral:
                assess("oral", rng.sample(present, min(oral, len(present))), lesson_end)
            if rng.random() < min(0.5, 0.1 + 0.35 / hours):
                work = rng.choice(C.WRITTEN_WORKS.get(code, C.DEFAULT_WRITTEN))
                share = rng.uniform(0.6, 1.0)
                chosen = [p for p in present if rng.random() < share]
                if chosen:
                    assess(work, chosen, lesson_end)

    def _mark(self, ability, pass_fail):
        rng = self.rng
        if pass_fail:
            return "зач" if rng.random() < 0.97 else "незач"
        return str(min(5, max(2, round(ability + rng.gauss(0, 0.75)))))


class _Writer:
    """Collects bulk rows and writes them with COPY; ids of assessments come from the sequence."""

    def __init__(self):
        self.topic_rows, self.homework_rows, self.assessment_rows, self.mark_rows, self.attendance_rows = (
            [],
            [],
            [],
            [],
            [],
        )
        self.roll_rows = []
        self.counts: dict = {}

    def topic(self, lesson_id, text, at):
        self.topic_rows.append((lesson_id, text, at))

    def homework(self, lesson_id, text, at):
        self.homework_rows.append((lesson_id, text, at, at, False))

    def assessment(self, lesson_id, work_type, position, description):
        key = len(self.assessment_rows)
        self.assessment_rows.append([key, lesson_id, work_type.pk, work_type.weight, description, position])
        return key

    def mark(self, assessment_key, pupil, value, teacher, at):
        self.mark_rows.append([assessment_key, pupil.pk, value, teacher.pk, teacher.pk, at, at, False, 1])

    def attendance(self, lesson_id, pupil, code, teacher, at, reason_by, reason_day, today):
        document, set_by, set_at = "", None, None
        if reason_by is not None and reason_day is not None:
            day = min(reason_day + timedelta(days=1), today - timedelta(days=1))
            document = "Справка из поликлиники" if code == M.Attendance.Code.ILL else "Заявление родителей"
            set_by, set_at = reason_by.pk, local_dt(max(day, at.date()), time(16, 30))
        self.attendance_rows.append((lesson_id, pupil.pk, code, document, set_by, set_at, teacher.pk, at, at, False, 1))

    def roll(self, lesson_id, teacher, at):
        self.roll_rows.append((lesson_id, teacher.pk, at, False))

    def flush(self, seeder):
        with connection.cursor() as cur:
            if self.assessment_rows:
                cur.execute(
                    "SELECT nextval(pg_get_serial_sequence('journal_assessment', 'id')) FROM generate_series(1, %s)",
                    [len(self.assessment_rows)],
                )
                ids = [r[0] for r in cur.fetchall()]
                for row in self.assessment_rows:
                    row[0] = ids[row[0]]
                for row in self.mark_rows:
                    row[0] = ids[row[0]]
            cur.execute("CREATE TEMP TABLE demo_topic (id bigint, topic text, at timestamptz) ON COMMIT DROP")
            _copy(cur, "demo_topic", ["id", "topic", "at"], self.topic_rows)
            cur.execute(
                "UPDATE journal_lesson l SET topic = t.topic, topic_set_at = t.at FROM demo_topic t WHERE l.id = t.id"
            )
            cur.execute("DROP TABLE demo_topic")
            _copy(cur, M.Homework, ["lesson", "text", "created_at", "updated_at", "is_late"], self.homework_rows)
            _copy(
                cur,
                M.Assessment,
                ["id", "lesson", "work_type", "weight", "description", "position"],
                self.assessment_rows,
            )
            _copy(
                cur,
                M.Mark,
                ["assessment", "pupil", "value", "created_by", "updated_by", "created_at", "updated_at", "is_late",
                 "version"],
                self.mark_rows,
            )  # fmt: skip
            _copy(
                cur,
                M.Attendance,
                ["lesson", "pupil", "code", "reason_document", "reason_set_by", "reason_set_at", "created_by",
                 "created_at", "updated_at", "is_late", "version"],
                self.attendance_rows,
            )  # fmt: skip
            _copy(cur, M.AttendanceRoll, ["lesson", "taken_by", "taken_at", "is_late"], self.roll_rows)
        self.counts = {
            "topics": len(self.topic_rows),
            "homework": len(self.homework_rows),
            "assessments": len(self.assessment_rows),
            "marks": len(self.mark_rows),
            "attendance": len(self.attendance_rows),
            "rolls": len(self.roll_rows),
        }


def _copy(cur, target, fields, rows):
    if isinstance(target, str):
        table, columns = target, fields
    else:
        table = target._meta.db_table
        columns = [target._meta.get_field(f).column for f in fields]
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
