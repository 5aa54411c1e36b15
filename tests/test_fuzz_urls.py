"""Hostile input on every URL (issue 18, point 5): no server error, ever.

Every URL pattern of the URLconf is requested as every persona of tests/world.py (and
as an anonymous visitor where it is open to one: the login form, the unsubscribe link),
with odd values in the query string, in the path and in the forms it takes: superscript and full-width digits, NUL, huge and negative numbers,
years 1 and 9999, 300-character strings (docs/DESIGN.md §3.24). The answer may be a
message, a 400, 403, 404, 405 or a redirect — never a 500.

`URLS` lists every URL name with what it reads; `test_every_url_is_fuzzed` fails for a
URL that is not in it (and for a name that no longer exists), as the access matrix
does. The objects a URL is requested with are those of its first access-matrix row
(tests/access_matrix/), its valid form values those of its first POST row; the values
are then replaced by odd ones, drawn by hypothesis with a fixed seed and a few
examples per URL (`EXAMPLES`), so the walk costs the same on every run.

One world is built per module, inside a transaction rolled back at the end; each
test (one URL) runs in a savepoint of it, so what one URL's POSTs change is undone.
"""

import copy
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .conftest import module_transaction
from .test_access_matrix import PERSONAS, ROWS

pytestmark = pytest.mark.xdist_group("fuzz")

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
    *("klass", "week", "on", "weekday", "bell", "role", "ids"),
)


def _odd_file(text: str) -> list:
    return [
        SimpleUploadedFile("table.xlsx", b"PK\x03\x04 not really a workbook"),
        SimpleUploadedFile("table.csv", ("Урок;Ученик;Тема\n1;" + text + ";" + text + "\n").encode()),
        SimpleUploadedFile("table.xlsx", b""),
    ]


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
    # diary
    "diary:index": Fuzz(),
    "diary:week": Fuzz(query=("date",)),
    "diary:lesson": Fuzz(),
    "diary:marks": Fuzz(query=("period",)),
    "diary:print_week": Fuzz(query=("date",), examples=1),
    "diary:print_class": Fuzz(query=("date",), examples=1),
    "diary:inbox": Fuzz(),
    "diary:thread_new": Fuzz(
        query=("pupil",),
        post=lambda w: {"pupil": w.pupil.pk, "to": "class_teacher", "subject": "Вопрос", "body": "Здравствуйте"},
    ),
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
        choices=lambda w: [{"kind": "class_sizes", "fmt": "xlsx"}, {"kind": "control", "fmt": "xlsx"}],
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
}

# The admin site has its own matrix (tests/test_admin.py) and Django's own input
# handling; tests/test_hostile_input.py sends it the odd values of its changelists.
NOT_FUZZED_PREFIXES = ("admin:",)


def _url_names(patterns=None, ns=""):
    names = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            names |= _url_names(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(ns + p.name)
    return names


def test_every_url_is_fuzzed():
    names = {n for n in _url_names() if not n.startswith(NOT_FUZZED_PREFIXES)}
    assert sorted(names - set(URLS)) == []
    assert sorted(set(URLS) - names) == []


# --- the world, the clients ------------------------------------------------------------------------


@dataclass
class FuzzWorld:
    world: object
    clients: dict = field(default_factory=dict)  # persona (or "anonymous") → logged-in Client
    cookies: dict = field(default_factory=dict)  # persona → its session cookie, restored before each test


@pytest.fixture(scope="module")
def fuzz(django_db_setup, django_db_blocker):
    from journal import services

    from . import factories as F
    from .world import build_world

    with (
        time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True),
        module_transaction(django_db_blocker),
    ):
        with django_db_blocker.unblock():
            w = build_world()
            # Today's lesson, open to its teacher: the forms reach the rules behind the lock.
            w.open_lesson = F.LessonFactory(
                assignment=w.assignment, date=date(2026, 11, 20), bell=F.BellFactory(school=w.school, number=3)
            )
            w.open_work = F.AssessmentFactory(lesson=w.open_lesson, work_type=w.work_type)
            w.open_absence = services.set_attendance(
                w.teacher,
                lesson_id=w.open_lesson.pk,
                pupil_id=w.pupil.pk,
                code="н",
                now=datetime.combine(date(2026, 11, 20), time(10), tzinfo=ZoneInfo("Europe/Moscow")),
            )
            fw = FuzzWorld(world=w)
            for persona in PERSONAS:
                c = Client(raise_request_exception=False)
                c.force_login(w.personas[persona])
                c.get("/")  # the session passes the account gates once, for the whole module
                fw.clients[persona] = c
                fw.cookies[persona] = copy.deepcopy(c.cookies)
            fw.clients["anonymous"] = Client(raise_request_exception=False)
        loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)  # 403s and 404s by the hundred; a 500 fails the test
        try:
            yield fw
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)


def _first_row(name, method):
    return next((r for r in ROWS if r.name == name and r.method == method), None)


def _insiders(row):
    """Personas that get past the access check of the row: the odd values reach their view."""
    return [p for p in PERSONAS if row is not None and row.status_for(p) < 400] or ["deputy"]


def _path_variants(name, kwargs):
    """The URL with each path value replaced by odd ones its converter still lets through."""
    for key, value in kwargs.items():
        odd = ODD_IDS if isinstance(value, int) else ODD_SEGMENTS
        for v in odd:
            try:
                yield reverse(name, kwargs={**kwargs, key: v})
            except Exception:  # noqa: BLE001 — the converter refuses it: the resolver answers 404
                continue


odd_text = st.sampled_from(ODD)


def _odd_values(data, valid: dict, files=()):
    """Each field: an odd value or its valid one (lists stay lists). The first example is
    odd in every field; the next ones mix."""
    out = {}
    for key, value in valid.items():
        if not data.draw(st.booleans(), label=f"valid {key}"):
            if isinstance(value, list):
                out[key] = data.draw(st.lists(odd_text, min_size=1, max_size=3), label=key)
            else:
                out[key] = data.draw(odd_text, label=key)
        else:
            out[key] = value
    for key in files:
        text = data.draw(odd_text, label=f"{key} text")
        out[key] = data.draw(st.sampled_from(_odd_file(text)), label=key)
    return out


def _check(resp, persona, method, url, sent):
    assert resp.status_code != 500, f"500 for {persona}: {method} {url!r} {sent!r}\n" + (
        repr(resp.exc_info[1]) if getattr(resp, "exc_info", None) else resp.content[:2000].decode(errors="replace")
    )


@pytest.mark.parametrize("name", sorted(URLS))
def test_no_server_error(name, fuzz, db, settings_media):
    spec = URLS[name]
    w = fuzz.world
    for persona, cookies in fuzz.cookies.items():
        fuzz.clients[persona].cookies = copy.deepcopy(cookies)  # a POST to logout must not end the walk
    get_row, post_row = _first_row(name, "GET"), _first_row(name, "POST")
    row = get_row or post_row
    kwargs = (spec.kwargs or (row.kwargs if row and row.kwargs else (lambda _w: {})))(w)
    choices = spec.choices(w) if spec.choices else [kwargs]
    kwargs = choices[0]
    url = reverse(name, kwargs=kwargs or None)
    base_query = row.query(w) if row and row.query else {}
    valid_post = None
    if spec.post is not None or post_row is not None:
        valid_post = {**(post_row.data(w) if post_row and post_row.data else {}), **(spec.post(w) if spec.post else {})}
    insiders = list(spec.insiders or _insiders(row))
    # The anonymous visitor where a page is open to one (the access matrix sends it to the
    # login page everywhere else, before any value is read).
    anonymous = ["anonymous"] if row is None or row.public or "anonymous" in insiders else []
    everyone = [p for p in (*PERSONAS, *anonymous) if spec.personas is None or p in spec.personas]

    # 1. Every persona, once: one odd value in every query and form field, a different one
    # for each of them (and for each URL): its page, or its form for a URL that only
    # takes POST (the form of a page with one is hypothesis's, below).
    offset = sorted(URLS).index(name) * 7
    for i, persona in enumerate(everyone):
        value = ODD[(offset + i) % len(ODD)]
        client = fuzz.clients[persona]
        if spec.get:
            query = {**base_query, **dict.fromkeys(QUERY, value)}
            _check(client.get(url, query), persona, "GET", url, query)
        if valid_post is not None and not spec.get:
            sent = {k: [value] if isinstance(v, list) else value for k, v in valid_post.items()}
            sent.update({k: _odd_file(value)[i % 3] for k in spec.files})
            _check(client.post(url, sent), persona, "POST", url, sent)

    # The other path values (report kinds), once each with odd values.
    for i, other in enumerate(choices[1:], 1):
        other_url, value = reverse(name, kwargs=other), ODD[(offset + i) % len(ODD)]
        query = {**base_query, **dict.fromkeys(QUERY, value)}
        _check(fuzz.clients[insiders[0]].get(other_url, query), insiders[0], "GET", other_url, query)

    # 2. The personas the access check lets through: hypothesis mixes valid and odd values
    # in the query parameters the view reads and in its form.
    if spec.query or valid_post is not None:

        @settings(
            max_examples=spec.examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def walk(data):
            persona = data.draw(st.sampled_from(insiders), label="persona")
            client = fuzz.clients[persona]
            if spec.query:
                where = reverse(name, kwargs=data.draw(st.sampled_from(choices), label="path") or None)
                query = {**base_query, **{k: data.draw(odd_text, label=k) for k in spec.query}}
                _check(client.get(where, query), persona, "GET", where, query)
            if valid_post is not None:
                sent = _odd_values(data, valid_post, spec.files)
                _check(client.post(url, sent), persona, "POST", url, sent)

        walk()

    # 3. Odd path values, as the first persona that may use the URL.
    client = fuzz.clients[insiders[0]]
    for odd_url in _path_variants(name, kwargs):
        resp = client.get(odd_url) if spec.get else client.post(odd_url, valid_post or {})
        _check(resp, insiders[0], "GET" if spec.get else "POST", odd_url, {})


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
