"""The table of tests/test_fuzz_urls.py: the odd values, and for every URL name what it
reads (`URLS`). A new URL gets its entry here (docs/ARCHITECTURE.md)."""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

EXAMPLES = 2  # hypothesis examples per URL (after one request per persona), for the personas it lets in

# Odd text: digits Python's int() or str.isdigit() accept but a database id is not,
# NUL, numbers beyond every integer column, dates beyond the calendar the app handles.
ODD = [
    "²",
    "３",
    "١٢",
    "-1",
    "0",
    "99999999999999999999999999",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "1e999",
    "NaN",
    "\x00",
    "1\x00",
    "x" * 300,
    "9" * 300,
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2026-02-30",
    "２０２６-１１-０９",
    "0001-01",
    "9999-12",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "01.01.0001 00:00",
    "=1+1",
    " ",
    "",
    "../../../etc/passwd",
    "\u202e<b>",
]
ODD_IDS = ["9223372036854775808"]  # what <int:…> lets through: beyond bigint (and integer)
ODD_SEGMENTS = ["²", "\x00", "x" * 300, "9999-12-31", "0001-01-01", "-1", "３"]  # <str:…>, <slug:…>, \d

# Query parameters the views read (every GET of the first round carries all of them).
QUERY = (
    *("period", "pupil", "date", "month", "q", "page", "status", "kind", "next", "signed", "school_class", "day"),
    *("klass", "week", "on", "weekday", "bell", "role", "ids", "year"),
)


def _odd_file(text: str) -> list:
    return [
        SimpleUploadedFile("table.xlsx", b"PK\x03\x04 not really a workbook"),
        SimpleUploadedFile("table.csv", ("Урок;Ученик;Тема\n1;" + text + ";" + text + "\n").encode()),
        SimpleUploadedFile("table.xlsx", b""),
    ]


def _groups(w):
    from .world import add_groups

    return add_groups(w)


@dataclass
class Fuzz:
    """What a URL reads beyond its access-matrix rows.

    - `query`: the query parameters its view reads (hypothesis draws them; the first
      round sends every name of `QUERY` anyway);
    - `post`: form fields with a valid value (the world in, a dict out), merged over the
      first POST row's data; `files`: its file fields;
    - `get=False` for a URL that only takes POST;
    - `kwargs`: other objects than the matrix row's (an open lesson, so that the rules
      behind the lock are reached); `choices`: several sets of path values (report kinds
      with a period, a month, a day), each asked once and then drawn by hypothesis;
    - `personas`: fewer than everyone, for a page that ignores who asks; `insiders`:
      who gets the hypothesis examples when the access matrix has no row (the login
      form is the anonymous visitor's);
    - `examples`: fewer hypothesis examples for a PDF (its query is its HTML page's,
      fuzzed there).
    """

    post: object = None
    query: tuple = ()
    files: tuple = ()
    kwargs: object = None
    choices: object = None
    get: bool = True
    personas: tuple | None = None
    insiders: tuple | None = None
    examples: int = EXAMPLES


def _open_lesson(w):
    return {"pk": w.open_lesson.pk}


LESSON_FORM = Fuzz(kwargs=_open_lesson, get=False)
REPORT_QUERY = ("period", "month", "date")

URLS = {
    # the project's own pages
    "home": Fuzz(),
    "healthz": Fuzz(personas=("anonymous", "deputy")),  # answers the same to all; waits 1 s for a worker
    "livez": Fuzz(personas=("anonymous", "deputy")),  # no input, no session needed
    "javascript-catalog": Fuzz(),
    "login": Fuzz(
        post=lambda w: {"username": "fuzz.nobody", "password": "x"}, query=("next",), insiders=("anonymous",)
    ),
    "logout": Fuzz(post=lambda w: {"next": "/"}),
    "set_language": Fuzz(post=lambda w: {"language": "en", "next": "/"}),
    # accounts
    "accounts:password_change": Fuzz(
        post=lambda w: {"old_password": "x", "new_password1": "Длинный пароль 1", "new_password2": "Длинный пароль 1"}
    ),
    "accounts:logout_everywhere": Fuzz(get=False),
    "accounts:session_ping": Fuzz(get=False),
    "accounts:session_resumed": Fuzz(),
    "accounts:otp_setup": Fuzz(post=lambda w: {"token": "123456"}),
    "accounts:otp_verify": Fuzz(post=lambda w: {"token": "123456", "next": "/"}, query=("next",)),
    "accounts:otp_disable": Fuzz(get=False),
    "accounts:people": Fuzz(query=("q", "role", "klass", "page")),
    "accounts:staff_new": Fuzz(
        post=lambda w: {
            "last_name": "Новикова",
            "first_name": "Анна",
            "patronymic": "",
            "birth_date": "1980-01-02",
            "sex": "f",
            "email": "",
            "phone": "",
            "roles": "deputy",
        }
    ),
    "accounts:issue_slips": Fuzz(post=lambda w: {"ids": [w.pupil.pk, w.parent.pk], "next": "/"}, get=False),
    "accounts:person": Fuzz(
        post=lambda w: {
            "last_name": "Иванова",
            "first_name": "Анна",
            "patronymic": "Петровна",
            "birth_date": "1985-03-04",
            "sex": "f",
            "email": "a@example.ru",
            "phone": "+7 900 000-00-00",
        },
        kwargs=lambda w: {"pk": w.parent.pk},
    ),
    "accounts:consent_add": Fuzz(
        post=lambda w: {"given_by": "Иванова А. П.", "given_on": "2026-09-01", "next": ""}, get=False
    ),
    "accounts:set_active": Fuzz(post=lambda w: {"active": "0", "reason": "утерян пароль"}),
    "accounts:issue_confirm": Fuzz(query=("ids", "next")),
    "accounts:credential_signed": Fuzz(get=False),
    "accounts:compromises": Fuzz(
        post=lambda w: {"user": w.teacher.pk, "learned_at": "2026-11-19T10:00", "reason": "пароль на стикере"}
    ),
    "accounts:compromise": Fuzz(),
    "accounts:compromise_pdf": Fuzz(),
    # journal: lists, grid, lesson page
    "journal:my_journals": Fuzz(),
    "journal:school_journals": Fuzz(),
    "journal:class_page": Fuzz(),
    "journal:grid": Fuzz(),
    "journal:grid_period": Fuzz(),
    "journal:period_mark": Fuzz(get=False),
    "journal:cell": Fuzz(
        post=lambda w: {"k": "a", "p": w.pupil.pk, "v": 0, "value": "н", "reason": "", "s": ""},
        kwargs=_open_lesson,
        get=False,
    ),
    "journal:lesson": Fuzz(kwargs=_open_lesson),
    "journal:lesson_topic": LESSON_FORM,
    "journal:lesson_homework": LESSON_FORM,
    "journal:lesson_work_add": LESSON_FORM,
    "journal:lesson_work_change": Fuzz(
        post=lambda w: {
            "assessment": w.open_work.pk,
            f"w{w.open_work.pk}-work_type": w.work_type.pk,
            f"w{w.open_work.pk}-weight": "2",
            f"w{w.open_work.pk}-description": "",
        },
        kwargs=_open_lesson,
        get=False,
    ),
    "journal:lesson_work_remove": Fuzz(
        post=lambda w: {"assessment": w.open_work.pk, f"r{w.open_work.pk}-reason": "ошибка"},
        kwargs=_open_lesson,
        get=False,
    ),
    "journal:lesson_topic_from_plan": Fuzz(
        post=lambda w: {"item": w.open_work.pk, "version": 1}, kwargs=_open_lesson, get=False
    ),
    "journal:lesson_attendance": Fuzz(
        post=lambda w: {f"att_{w.pupil.pk}": "н", f"v_{w.pupil.pk}": 0},
        kwargs=_open_lesson,
        get=False,
    ),
    "journal:lesson_pupil_notes": Fuzz(
        post=lambda w: {f"comment_{w.pupil.pk}": "Молодец", f"homework_{w.pupil.pk}": "№ 5"},
        kwargs=_open_lesson,
        get=False,
    ),
    # people
    "journal:class_people": Fuzz(),
    "journal:pupil_card": Fuzz(
        post=lambda w: {"last_name": "Иванова", "first_name": "Мария", "birth_date": "2015-05-06", "sex": "f"}
    ),
    # the contingent: pupils, parents, class and staff lists
    "journal:contingent_classes": Fuzz(),
    "journal:pupil_new": Fuzz(
        post=lambda w: {
            "last_name": "Новикова",
            "first_name": "Вера",
            "patronymic": "",
            "sex": "f",
            "birth_date": "2015-03-04",
        }
    ),
    "journal:parent_new": Fuzz(
        post=lambda w: {
            "last_name": "Новикова",
            "first_name": "Ольга",
            "patronymic": "",
            "relation": "",
            "phone": "+7 900 000-00-00",
            "email": "",
        }
    ),
    "journal:class_import": Fuzz(files=("file",), post=lambda w: {}),
    "journal:class_import_confirm": Fuzz(post=lambda w: {"token": "forged"}, get=False),
    "journal:staff_import": Fuzz(files=("file",), post=lambda w: {}),
    "journal:staff_import_confirm": Fuzz(post=lambda w: {"token": "forged"}, get=False),
    # records procedures
    "journal:plan": Fuzz(post=lambda w: {"topic": "Дроби", "hours": "2", "work_type": w.work_type.pk}),
    "journal:plan_import": Fuzz(files=("file",), post=lambda w: {}),
    "journal:plan_import_confirm": Fuzz(get=False),
    "journal:plan_fill": Fuzz(get=False),
    "journal:plan_item_edit": Fuzz(post=lambda w: {"topic": "Дроби", "hours": "1", "work_type": ""}, get=False),
    "journal:plan_item_move": Fuzz(post=lambda w: {"dir": "up"}, get=False),
    "journal:plan_item_delete": Fuzz(get=False),
    "journal:corrections": Fuzz(query=("status",)),
    "journal:correction": Fuzz(),
    "journal:correction_approve": Fuzz(post=lambda w: {"comment": "согласовано"}, get=False),
    "journal:correction_reject": Fuzz(post=lambda w: {"comment": "нет оснований"}, get=False),
    "journal:correction_pdf": Fuzz(),
    "journal:correction_lesson_new": Fuzz(
        post=lambda w: {f"att-{w.pupil.pk}": "н", "reasons": "Пропуск не отмечен по ошибке, ученица болела."}
    ),
    "journal:correction_period_new": Fuzz(
        query=("kind",),
        post=lambda w: {"kind": "period", f"pm-{w.pupil.pk}": "5", "reasons": "Ошибка при выставлении отметки."},
    ),
    "journal:lesson_unlock": Fuzz(post=lambda w: {"hours": "24", "reason": "исправить тему"}),
    "journal:substitutions": Fuzz(),
    "journal:substitution_new": Fuzz(
        post=lambda w: {
            "assignment": w.assignment.pk,
            "substitute": w.class_teacher.pk,
            "date_from": "2026-11-23",
            "date_to": "",
            "reason": "больничный",
        }
    ),
    "journal:substitution_revoke": Fuzz(post=lambda w: {"reason": "вышел на работу"}, get=False),
    "journal:absence_reasons": Fuzz(
        post=lambda w: {
            "pupil": w.pupil.pk,
            "attendance": w.open_absence.pk,
            "code": "б",
            "document": "справка",
            "scope": "range",
            "date_from": "2026-11-20",
            "date_to": "2026-11-20",
        }
    ),
    "journal:outages": Fuzz(
        query=("school_class", "day"),
        post=lambda w: {"start": "2026-11-19T08:00", "end": "2026-11-19T12:00", "reason": "нет интернета"},
    ),
    "journal:outage": Fuzz(query=("school_class", "day")),
    "journal:outage_close": Fuzz(post=lambda w: {"end": "2026-11-20T11:00"}, get=False),
    "journal:temp_import": Fuzz(
        files=("file",), post=lambda w: {"school_class": w.klass.pk, "paper_date": "2026-11-09"}
    ),
    "journal:temp_import_confirm": Fuzz(get=False),
    "journal:day_blank_pdf": Fuzz(),
    "journal:day_blank_xlsx": Fuzz(),
    "journal:notifications": Fuzz(query=("page",)),
    "journal:notification_read": Fuzz(get=False),
    "journal:notifications_read_all": Fuzz(get=False),
    "journal:control": Fuzz(query=("period",)),
    "journal:class_control": Fuzz(query=("period",)),
    "journal:violation": Fuzz(),
    "journal:mark_history": Fuzz(),
    "journal:attendance_history": Fuzz(),
    "journal:lesson_history": Fuzz(),
    "journal:period_mark_history": Fuzz(),
    "journal:card_views": Fuzz(),
    # lesson changes by hand, the lessons for the deputy
    "journal:lesson_changes": Fuzz(query=("klass", "week")),
    "journal:lesson_add": Fuzz(
        query=("klass",),
        post=lambda w: {
            "assignment": w.assignment.pk,
            "date": "2026-11-23",
            "bell": w.lessons[0].bell_id,
            "room": "",
            "reason": "олимпиада",
        },
    ),
    "journal:lesson_move": Fuzz(
        post=lambda w: {"date": "2026-11-23", "bell": w.lessons[0].bell_id, "room": "", "reason": "перенос"},
        kwargs=_open_lesson,
    ),
    "journal:lesson_cancel": Fuzz(post=lambda w: {"reason": "Учитель на курсах"}, kwargs=_open_lesson),
    "journal:lesson_reviews": Fuzz(),
    "journal:lesson_review_keep": Fuzz(get=False),
    "journal:lesson_review_move": Fuzz(get=False),
    # the timetable editor
    "journal:timetable": Fuzz(),
    "journal:timetable_class": Fuzz(query=("on",)),
    "journal:timetable_add": Fuzz(
        query=("on", "weekday", "bell"),
        post=lambda w: {
            "assignment": w.assignment.pk,
            "weekday": 2,
            "bell": w.lessons[0].bell_id,
            "room": "",
            "valid_from": "2026-11-23",
            "valid_to": "",
        },
    ),
    "journal:timetable_class_pdf": Fuzz(query=("on",), examples=1),
    "journal:timetable_teacher": Fuzz(query=("on",)),
    "journal:timetable_teacher_pdf": Fuzz(query=("on",), examples=1),
    "journal:timetable_room": Fuzz(query=("on",)),
    "journal:timetable_change": Fuzz(
        query=("on",),
        post=lambda w: {"weekday": 3, "bell": w.lessons[0].bell_id, "room": "", "valid_from": "2026-11-23"},
    ),
    "journal:timetable_end": Fuzz(query=("on",), post=lambda w: {"last_day": "2026-11-30"}),
    "journal:lesson_restore": Fuzz(post=lambda w: {}, kwargs=_open_lesson),
    # «Настройка школы» (the administrator's set-up pages)
    "journal:setup": Fuzz(),
    "journal:setup_bells": Fuzz(),
    "journal:setup_bell_add": Fuzz(post=lambda w: {"number": 7, "starts": "14:00", "ends": "14:45"}),
    "journal:setup_bell_change": Fuzz(post=lambda w: {"number": 1, "starts": "08:00", "ends": "08:40"}),
    "journal:setup_bell_delete": Fuzz(post=lambda w: {}),
    "journal:setup_rooms": Fuzz(),
    "journal:setup_room_add": Fuzz(post=lambda w: {"number": "405", "name": "Физика"}),
    "journal:setup_room_change": Fuzz(post=lambda w: {"number": "302", "name": "Химия"}),
    "journal:setup_room_delete": Fuzz(post=lambda w: {}),
    "journal:setup_subjects": Fuzz(),
    "journal:setup_subject_add": Fuzz(post=lambda w: {"name": "Физика", "order": 5, "assessment": "numeric"}),
    "journal:setup_subject_change": Fuzz(post=lambda w: {"name": "Алгебра", "order": 5, "assessment": "numeric"}),
    "journal:setup_subject_delete": Fuzz(post=lambda w: {}),
    "journal:setup_year_add": Fuzz(post=lambda w: {"name": "2027/2028", "start": "2027-09-01", "end": "2028-05-31"}),
    "journal:setup_year": Fuzz(),
    "journal:setup_year_change": Fuzz(
        post=lambda w: {"name": "2026/2027", "start": "2026-09-01", "end": "2027-05-31", "exam_marks_deadline": ""}
    ),
    "journal:setup_year_delete": Fuzz(post=lambda w: {}),
    "journal:setup_period_add": Fuzz(
        post=lambda w: {"scheme": "trimester", "number": 1, "start": "2026-09-01", "end": "2026-11-30"}
    ),
    "journal:setup_period_change": Fuzz(
        post=lambda w: {"number": 1, "start": "2026-09-01", "end": "2026-10-24", "marks_deadline": ""}
    ),
    "journal:setup_period_delete": Fuzz(post=lambda w: {}),
    "journal:setup_holidays_add": Fuzz(
        post=lambda w: {"name": "Доп. каникулы", "start": "2027-02-16", "end": "2027-02-22", "grades": "1"}
    ),
    "journal:setup_holidays_change": Fuzz(
        post=lambda w: {"name": "Осенние каникулы", "start": "2026-10-25", "end": "2026-11-04", "grades": ""}
    ),
    "journal:setup_holidays_delete": Fuzz(post=lambda w: {}),
    "journal:setup_class_add": Fuzz(post=lambda w: {"grade": 6, "letter": "В", "period_scheme": "quarter"}),
    "journal:setup_class": Fuzz(),
    "journal:setup_class_change": Fuzz(
        post=lambda w: {"grade": 5, "letter": "А", "leader": w.class_teacher.pk, "period_scheme": "quarter"}
    ),
    "journal:setup_class_delete": Fuzz(post=lambda w: {}),
    "journal:setup_curriculum_add": Fuzz(post=lambda w: {"subject": w.subject.pk, "hours_per_week": "4.5"}),
    "journal:setup_curriculum_change": Fuzz(post=lambda w: {"hours_per_week": "3", "hours_per_year": "102"}),
    "journal:setup_curriculum_delete": Fuzz(post=lambda w: {}),
    "journal:setup_load_add": Fuzz(post=lambda w: {"subject": w.subject.pk, "staff_member": w.teacher.pk, "group": ""}),
    "journal:setup_load_change": Fuzz(post=lambda w: {"staff_member": w.class_teacher.pk}),
    "journal:setup_load_end": Fuzz(post=lambda w: {}),
    "journal:setup_load_resume": Fuzz(post=lambda w: {}),
    # subgroups of a class (issue 15, point 4)
    "journal:class_groups": Fuzz(query=("date",)),
    "journal:group_split_new": Fuzz(
        query=("date",), post=lambda w: {"split-name": "труд", "split-groups": "2"}, get=False
    ),
    "journal:group_add": Fuzz(
        query=("date",),
        post=lambda w: {
            f"add-g{_groups(w).first.pk}-pupils": w.pupil.pk,
            f"add-g{_groups(w).first.pk}-start": "2026-11-20",
        },
        get=False,
    ),
    "journal:group_move": Fuzz(
        query=("date",),
        post=lambda w: {
            f"move-g{_groups(w).first.pk}-pupil": w.pupil.pk,
            f"move-g{_groups(w).first.pk}-to_group": _groups(w).second.pk,
            f"move-g{_groups(w).first.pk}-day": "2026-11-20",
        },
        get=False,
    ),
    # diary
    "diary:index": Fuzz(),
    "diary:week": Fuzz(query=("date",)),
    "diary:lesson": Fuzz(),
    "diary:marks": Fuzz(query=("period",)),
    "diary:print_week": Fuzz(query=("date",), examples=1),
    "diary:print_class": Fuzz(query=("date",), examples=1),
    "diary:inbox": Fuzz(),
    "diary:paper_requests": Fuzz(query=("class",), post=lambda w: {"want": f"{w.pupil.pk}:{w.parent.pk}"}),
    "diary:thread_new": Fuzz(
        query=("pupil", "class"),
        post=lambda w: {"pupil": w.pupil.pk, "to": "class_teacher", "subject": "Вопрос", "body": "Здравствуйте"},
    ),
    "diary:class_message": Fuzz(post=lambda w: {"subject": "Собрание", "body": "В четверг"}),
    "diary:thread": Fuzz(post=lambda w: {"body": "Спасибо"}),
    "diary:message": Fuzz(),
    "diary:announcements": Fuzz(),
    "diary:announcement_new": Fuzz(
        post=lambda w: {"school_class": w.klass.pk, "audience": "both", "title": "Собрание", "body": "В пятницу"}
    ),
    "diary:announcement": Fuzz(),
    "diary:email_settings": Fuzz(post=lambda w: {"weekly_digest": "on", "daily_marks": "", "send_now": ""}),
    "diary:unsubscribe": Fuzz(post=lambda w: {}, insiders=("anonymous",)),  # the mail client's one-click POST
    # reports
    "reports:index": Fuzz(),
    "reports:choose": Fuzz(query=("year", "report", "klass", "journal", "period", "month", "date", "format")),
    "reports:class_report": Fuzz(
        query=REPORT_QUERY,
        choices=lambda w: [
            {"pk": w.klass.pk, "kind": k} for k in ("attendance_month", "class_period", "class_journal")
        ],
    ),
    "reports:class_report_file": Fuzz(
        query=REPORT_QUERY,
        choices=lambda w: [
            {"pk": w.klass.pk, "kind": "attendance_month", "fmt": "xlsx"},
            {"pk": w.klass.pk, "kind": "class_period", "fmt": "xlsx"},
        ],
    ),
    "reports:assignment_report": Fuzz(
        query=REPORT_QUERY,
        choices=lambda w: [{"pk": w.assignment.pk, "kind": k} for k in ("subject_results", "subject_summary")],
    ),
    "reports:assignment_report_file": Fuzz(
        query=REPORT_QUERY,
        choices=lambda w: [
            {"pk": w.assignment.pk, "kind": "journal_pages", "fmt": "xlsx"},
            {"pk": w.assignment.pk, "kind": "subject_results", "fmt": "pdf"},
        ],
    ),
    "reports:school_report": Fuzz(
        query=REPORT_QUERY, choices=lambda w: [{"kind": k} for k in ("class_sizes", "control", "school_summaries")]
    ),
    "reports:school_report_file": Fuzz(
        query=REPORT_QUERY,
        choices=lambda w: [{"kind": "class_sizes", "fmt": "xlsx"}, {"kind": "movement_dynamics", "fmt": "xlsx"}],
    ),
    "reports:job_create": Fuzz(post=lambda w: {"kind": "class_journal", "object": w.klass.pk, "period": ""}, get=False),
    "reports:job_detail": Fuzz(),
    "reports:job_status": Fuzz(),
    "reports:job_file": Fuzz(),
    "reports:activity_list": Fuzz(),
    "reports:activity_detail": Fuzz(),
    "reports:activity_detail_file": Fuzz(),
    # archive
    "archive:index": Fuzz(),
    "archive:build": Fuzz(get=False),
    "archive:certificate": Fuzz(files=("file",), post=lambda w: {"password": "x"}),
    "archive:sign": Fuzz(post=lambda w: {"password": "x"}, get=False),
    "archive:verify": Fuzz(get=False),
    "archive:file": Fuzz(query=("signed",)),
    # the end of the school year: the next year and the promotion by order (issue 16)
    "journal:setup_new_year": Fuzz(
        post=lambda w: {
            "name": "2027/2028",
            "start": "2027-09-01",
            "end": "2028-05-31",
            "first_letters": "А",
            "timetable": "draft",
            f"letter_{w.klass.pk}": "А",
            f"letter_{w.other_class.pk}": "Б",
        }
    ),  # fmt: skip
    "journal:promotion": Fuzz(),
    "journal:promotion_year": Fuzz(),
    "journal:promotion_order_add": Fuzz(post=lambda w: {"number": "112-о", "date": "2027-05-28"}),
    "journal:promotion_class": Fuzz(
        post=lambda w: {f"decision_{w.pupil.pk}": "conditional", f"debts_{w.pupil.pk}": w.subject.pk}
    ),
    "journal:promotion_all": Fuzz(post=lambda w: {}),
    # the year-end check, closing and reopening the year (issue 16)
    "journal:year_end": Fuzz(),
    "journal:year_close": Fuzz(post=lambda w: {"override_reason": "По приказу № 45 от 10.06.2027"}, get=False),
    "journal:year_reopen": Fuzz(post=lambda w: {"reason": "Исправление годовой отметки, приказ № 47"}, get=False),
}
