# Issue 16, point 5: a closed year is read-only in PostgreSQL itself (docs/DESIGN.md §3.25).
#
# Every table that holds a year's records gets a row trigger, BEFORE INSERT, UPDATE and
# DELETE, that resolves the row's academic year (through its class, journal, lesson, work,
# period…) and refuses the change with SQLSTATE EJ001 when that year is closed: for the
# application, the admin site and a raw psql session alike. An UPDATE is judged on the old
# row and on the new one (no record moves out of a closed year, nor into one); a TRUNCATE
# is refused while any year is closed. The academic
# year row itself stays updatable (the director's reopening sets is_closed back), but while
# it is closed its dates and name do not change and it cannot be deleted.
#
# journal.middleware.ClosedYearMiddleware and journal.services.errors.YearClosed turn the
# error into a Russian message.

from django.db import migrations

SQLSTATE = "EJ001"

# The year of a row, from the row's key column: (table, key column, SELECT … WHERE … = $key).
_BY_CLASS = "SELECT c.year_id FROM journal_schoolclass c WHERE c.id = {key}"
_BY_ASSIGNMENT = (
    "SELECT c.year_id FROM journal_teachingassignment a JOIN journal_schoolclass c ON c.id = a.school_class_id"
    " WHERE a.id = {key}"
)
_BY_LESSON = (
    "SELECT c.year_id FROM journal_lesson l JOIN journal_teachingassignment a ON a.id = l.assignment_id"
    " JOIN journal_schoolclass c ON c.id = a.school_class_id WHERE l.id = {key}"
)
GUARDED = [
    ("journal_studyperiod", "year_id", "SELECT {key}"),
    ("journal_holidays", "year_id", "SELECT {key}"),
    ("journal_schoolclass", "year_id", "SELECT {key}"),
    ("journal_curriculumline", "school_class_id", _BY_CLASS),
    ("journal_teachingassignment", "school_class_id", _BY_CLASS),
    ("journal_enrollment", "school_class_id", _BY_CLASS),
    ("journal_groupsplit", "school_class_id", _BY_CLASS),
    ("journal_group", "school_class_id", _BY_CLASS),
    (
        "journal_groupmembership",
        "group_id",
        "SELECT c.year_id FROM journal_group g JOIN journal_schoolclass c ON c.id = g.school_class_id"
        " WHERE g.id = {key}",
    ),
    ("journal_timetableentry", "assignment_id", _BY_ASSIGNMENT),
    ("journal_thematicplan", "assignment_id", _BY_ASSIGNMENT),
    (
        "journal_planitem",
        "plan_id",
        "SELECT c.year_id FROM journal_thematicplan t JOIN journal_teachingassignment a ON a.id = t.assignment_id"
        " JOIN journal_schoolclass c ON c.id = a.school_class_id WHERE t.id = {key}",
    ),
    ("journal_lesson", "assignment_id", _BY_ASSIGNMENT),
    ("journal_homework", "lesson_id", _BY_LESSON),
    ("journal_individualhomework", "lesson_id", _BY_LESSON),
    ("journal_lessoncomment", "lesson_id", _BY_LESSON),
    ("journal_lessonplanlink", "lesson_id", _BY_LESSON),
    ("journal_assessment", "lesson_id", _BY_LESSON),
    ("journal_attendance", "lesson_id", _BY_LESSON),
    ("journal_attendanceroll", "lesson_id", _BY_LESSON),
    ("journal_substitution", "lesson_id", _BY_LESSON),
    (
        "journal_mark",
        "assessment_id",
        "SELECT c.year_id FROM journal_assessment s JOIN journal_lesson l ON l.id = s.lesson_id"
        " JOIN journal_teachingassignment a ON a.id = l.assignment_id"
        " JOIN journal_schoolclass c ON c.id = a.school_class_id WHERE s.id = {key}",
    ),
    ("journal_periodmark", "period_id", "SELECT p.year_id FROM journal_studyperiod p WHERE p.id = {key}"),
    # the promotion by order: the year's legal record of who went where
    ("journal_promotionorder", "year_id", "SELECT {key}"),
    ("journal_promotiondecision", "year_id", "SELECT {key}"),
    (
        "journal_promotiondecision_debts",
        "promotiondecision_id",
        "SELECT d.year_id FROM journal_promotiondecision d WHERE d.id = {key}",
    ),
]

COMMON = f"""
CREATE FUNCTION journal_refuse_closed_year(year_id bigint, tbl text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    y record;
BEGIN
    IF year_id IS NULL THEN
        RETURN;
    END IF;
    SELECT name, is_closed INTO y FROM journal_academicyear WHERE id = year_id;
    IF FOUND AND y.is_closed THEN
        RAISE EXCEPTION 'Учебный год % закрыт: его записи не изменяются (%)', y.name, tbl
            USING ERRCODE = '{SQLSTATE}', DETAIL = y.name,
                  HINT = 'Исправления вносятся после переоткрытия года директором.';
    END IF;
END $$;

CREATE FUNCTION journal_academicyear_closed_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.is_closed THEN
            RAISE EXCEPTION 'Учебный год % закрыт: его нельзя удалить', OLD.name
                USING ERRCODE = '{SQLSTATE}', DETAIL = OLD.name;
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.is_closed AND NEW.is_closed AND (NEW.name, NEW.start, NEW."end", NEW.school_id, NEW.exam_marks_deadline)
            IS DISTINCT FROM (OLD.name, OLD.start, OLD."end", OLD.school_id, OLD.exam_marks_deadline) THEN
        RAISE EXCEPTION 'Учебный год % закрыт: его даты и название не изменяются', OLD.name
            USING ERRCODE = '{SQLSTATE}', DETAIL = OLD.name;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION journal_closed_year_truncate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    y record;
BEGIN
    SELECT name INTO y FROM journal_academicyear WHERE is_closed ORDER BY start LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'Учебный год % закрыт: таблица % не очищается', y.name, TG_TABLE_NAME
            USING ERRCODE = '{SQLSTATE}', DETAIL = y.name;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER journal_academicyear_closed_guard BEFORE UPDATE OR DELETE ON journal_academicyear
    FOR EACH ROW EXECUTE FUNCTION journal_academicyear_closed_guard();
"""

GUARD = """
CREATE FUNCTION journal_closed_year_guard_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Most of the time no year is closed at all: one look at a small table.
    IF EXISTS (SELECT 1 FROM journal_academicyear WHERE is_closed) THEN
        IF TG_OP <> 'INSERT' THEN
            PERFORM journal_refuse_closed_year(({old}), TG_TABLE_NAME);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM journal_refuse_closed_year(({new}), TG_TABLE_NAME);
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER journal_closed_year_guard BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION journal_closed_year_guard_{table}();

-- TRUNCATE fires no row trigger: while any year is closed, the table is not emptied at once.
CREATE TRIGGER journal_closed_year_truncate_guard BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION journal_closed_year_truncate_guard();
"""


def _sql():
    parts = [COMMON]
    for table, column, select in GUARDED:
        parts.append(
            GUARD.format(
                table=table,
                old=select.format(key=f"OLD.{column}"),
                new=select.format(key=f"NEW.{column}"),
            )
        )
    return "\n".join(parts)


def _reverse():
    parts = [
        f"DROP TRIGGER IF EXISTS journal_closed_year_guard ON {t};\nDROP FUNCTION IF EXISTS journal_closed_year_guard_{t}();"
        f"\nDROP TRIGGER IF EXISTS journal_closed_year_truncate_guard ON {t};"
        for t, _c, _s in GUARDED
    ]
    parts.append("DROP FUNCTION IF EXISTS journal_closed_year_truncate_guard();")
    parts.append("DROP TRIGGER IF EXISTS journal_academicyear_closed_guard ON journal_academicyear;")
    parts.append("DROP FUNCTION IF EXISTS journal_academicyear_closed_guard();")
    parts.append("DROP FUNCTION IF EXISTS journal_refuse_closed_year(bigint, text);")
    return "\n".join(parts)


class Migration(migrations.Migration):
    dependencies = [("journal", "0010_promotion")]  # after the promotion tables of the same issue (one leaf)

    operations = [migrations.RunSQL(_sql(), _reverse())]
