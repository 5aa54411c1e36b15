"""The lesson page: topic, attendance, pupils' notes, graded works, marks and homework in one place.

The page is a GET (journal:lesson); each of its forms posts to its own URL and view
below (journal:lesson_topic, …). An htmx request (the page with its script) gets its
section back — or, for attendance and notes, a status line with out-of-band updates of
the cells that changed, so that nothing typed meanwhile is overwritten. Without the
script the answer is a redirect back to the page (or the page with the refused form,
422), so every form also works as a plain POST.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ejournal import params

from .. import access, services
from ..forms import AssessmentForm, HomeworkForm, RemoveAssessmentForm, TopicForm
from ..rules import parse_attendance
from ..services.lessons import PupilNotesError
from . import lesson_sections as S

SECTIONS = {
    "topic": "journal/lesson/_topic.html",
    "works": "journal/lesson/_works.html",
    "homework": "journal/lesson/_homework.html",
}


def _lesson_for(user, pk):
    """(lesson, can_write) for the lesson page: a closed year's lesson is read-only (docs/DESIGN.md §3.25)."""
    lesson, can_write = access.get_lesson_for_user(user, pk)
    return lesson, can_write and access.year_open(lesson.assignment.school_class.year)


def _base(lesson, can_write):
    return {"lesson": lesson, "assignment": lesson.assignment, "can_write": can_write, **S.head(lesson)}


def _page(request, lesson, can_write, *, forms=None, status=200, attendance_error="", **pupils_kw):
    forms = forms or {}
    ctx = _base(lesson, can_write)
    ctx.update(S.topic(lesson, can_write, forms.get("topic")))
    people, records = S.roster(lesson), S.Records(lesson)
    ctx.update(S.pupils(lesson, can_write, people=people, records=records, **pupils_kw))
    ctx.update(S.works(lesson, can_write, forms, people=people, records=records))
    ctx.update(S.homework(lesson, forms.get("homework"), records))
    ctx["notes_error"] = bool(pupils_kw.get("notes_errors"))
    ctx["attendance_conflict"] = bool(pupils_kw.get("theirs"))
    ctx["attendance_error"] = attendance_error
    ctx["idle_timeout"] = settings.SESSION_IDLE_TIMEOUT  # static/js/session.js keeps the session
    return render(request, "journal/lesson.html", ctx, status=status)


def _section(request, lesson, name, *, forms=None, said="", said_level="ok", status=200):
    """One section of the page (htmx swaps it in place of the old one)."""
    forms = forms or {}
    ctx = _base(lesson, True)
    if name == "topic":
        ctx.update(S.topic(lesson, True, forms.get("topic")))
    elif name == "works":
        ctx.update(S.works(lesson, True, forms))
    else:
        ctx.update(S.homework(lesson, forms.get("homework")))
    ctx.update({"said": said, "said_level": said_level})
    return render(request, SECTIONS[name], ctx, status=status)


@login_required
@require_safe
def lesson(request, pk):
    lesson, can_write = _lesson_for(request.user, pk)
    return _page(request, lesson, can_write)


def _lesson_action(view):
    """A form of the lesson page, posted to its own URL: `view(request, lesson)`.

    Only the lesson's writers act (readers get the page with 403); a rule's refusal
    that is not about a form (NotAllowed) is told as a message; back to the page.
    """

    @login_required
    @require_POST
    @wraps(view)
    def wrapped(request, pk):
        lesson, can_write = _lesson_for(request.user, pk)
        if not can_write:
            return _page(request, lesson, can_write, status=403)
        try:
            return view(request, lesson)
        except services.NotAllowed as e:
            if request.htmx:
                return _status(e.message, "err", status=403)
            messages.error(request, e.message)
        return _back(lesson)

    return wrapped


def _back(lesson):
    return redirect("journal:lesson", pk=lesson.pk)


def _saved(request, lesson, section, text):
    """A form was saved: its section again (htmx), or back to the page with a message."""
    if request.htmx:
        return _section(request, lesson, section, said=text)
    messages.success(request, text)
    return _back(lesson)


def _refused(request, lesson, key, form, section):
    """The refused form in place: its section (htmx) or the page again (only writers post forms)."""
    if request.htmx:
        return _section(request, lesson, section, forms={key: form}, status=422)
    return _page(request, lesson, True, forms={key: form}, status=422)


def _status(text, level="ok", *, oob="", status=200):
    """The status line of the attendance and notes table, with out-of-band cell updates."""
    from django.http import HttpResponse

    html = render_to_string("journal/lesson/_status.html", {"said": text, "said_level": level, "oob": oob})
    return HttpResponse(html, status=status)


# --- topic -----------------------------------------------------------------------------


@_lesson_action
def lesson_topic(request, lesson):
    form = TopicForm(request.POST)
    if not form.is_valid():
        return _refused(request, lesson, "topic", form, "topic")
    try:
        services.set_topic(
            request.user,
            lesson_id=lesson.pk,
            topic=form.cleaned_data["topic"],
            expected_version=form.cleaned_data["version"],
        )
    except services.ServiceError as e:
        form.add_error("topic", e.message)
        return _refused(request, lesson, "topic", form, "topic")
    lesson.refresh_from_db()
    return _saved(request, lesson, "topic", _("Тема сохранена."))


@_lesson_action
def lesson_topic_from_plan(request, lesson):
    """The topic from the КТП's next row (the button next to the topic field)."""
    form = TopicForm({"topic": lesson.topic, "version": request.POST.get("version")})
    try:
        services.set_topic_from_plan(
            request.user,
            lesson_id=lesson.pk,
            item_id=params.parse_id(request.POST.get("item")),
            expected_version=params.parse_int(request.POST.get("version"), min_value=0),
        )
    except services.ServiceError as e:
        form.is_valid()
        form.add_error("topic", e.message)
        return _refused(request, lesson, "topic", form, "topic")
    lesson.refresh_from_db()
    return _saved(request, lesson, "topic", _("Тема из КТП сохранена."))


# --- homework --------------------------------------------------------------------------


@_lesson_action
def lesson_homework(request, lesson):
    form = HomeworkForm(request.POST)
    if not form.is_valid():
        return _refused(request, lesson, "homework", form, "homework")
    try:
        services.set_homework(request.user, lesson_id=lesson.pk, text=form.cleaned_data["text"])
    except services.ServiceError as e:
        form.add_error("text", e.message)
        return _refused(request, lesson, "homework", form, "homework")
    return _saved(request, lesson, "homework", _("Домашнее задание сохранено."))


# --- graded works ----------------------------------------------------------------------


@_lesson_action
def lesson_work_add(request, lesson):
    form = AssessmentForm(request.POST, school=S.school_of(lesson), prefix="new")
    if not form.is_valid():
        return _refused(request, lesson, "add", form, "works")
    try:
        d = form.cleaned_data
        services.add_assessment(
            request.user,
            lesson_id=lesson.pk,
            work_type_id=d["work_type"].pk,
            weight=d["weight"],
            description=d["description"],
        )
    except services.ServiceError as e:
        form.add_error(None, e.message)
        return _refused(request, lesson, "add", form, "works")
    return _saved(request, lesson, "works", _("Работа добавлена."))


def _work_of(request, lesson):
    """The lesson's graded work named by the form's `assessment` field, or None."""
    return lesson.assessments.filter(pk=params.parse_id(request.POST.get("assessment"))).first()


def _work_not_found(request, lesson):
    text = _("Работа не найдена: обновите страницу.")
    if request.htmx:
        return _section(request, lesson, "works", said=text, said_level="err", status=422)
    messages.error(request, text)
    return _back(lesson)


@_lesson_action
def lesson_work_change(request, lesson):
    a = _work_of(request, lesson)
    if a is None:
        return _work_not_found(request, lesson)
    key, form = f"work_{a.pk}", AssessmentForm(request.POST, school=S.school_of(lesson), prefix=f"w{a.pk}")
    if not form.is_valid():
        return _refused(request, lesson, key, form, "works")
    d = form.cleaned_data
    try:
        services.change_assessment(
            request.user,
            assessment_id=a.pk,
            work_type_id=d["work_type"].pk,
            weight=d["weight"],
            description=d["description"],
        )
    except services.ServiceError as e:
        form.add_error(None, e.message)
        return _refused(request, lesson, key, form, "works")
    return _saved(request, lesson, "works", _("Работа изменена."))


@_lesson_action
def lesson_work_remove(request, lesson):
    a = _work_of(request, lesson)
    if a is None:
        return _work_not_found(request, lesson)
    key, form = f"remove_{a.pk}", RemoveAssessmentForm(request.POST, prefix=f"r{a.pk}")
    if not form.is_valid():
        return _refused(request, lesson, key, form, "works")
    try:
        services.remove_assessment(request.user, assessment_id=a.pk, reason=form.cleaned_data["reason"])
    except services.ServiceError as e:
        form.add_error(None, e.message)
        return _refused(request, lesson, key, form, "works")
    return _saved(request, lesson, "works", _("Работа удалена."))


# --- attendance and pupils' notes ------------------------------------------------------


def _per_pupil(post, *fields):
    """{pupil_id: {field: value}} from fields named <field>_<pupil id>."""
    out: dict = {}
    for key, value in post.items():
        field, _sep, pid = key.partition("_")
        pid = params.parse_id(pid)
        if field in fields and pid is not None:
            out.setdefault(pid, {})[field] = value
    return out


@_lesson_action
def lesson_attendance(request, lesson):
    """The whole attendance column in one request: att_<pupil>=code ("" present), v_<pupil>=version."""
    sent = _per_pupil(request.POST, "att", "v")
    codes = {p: parse_attendance(f["att"]) for p, f in sent.items() if "att" in f}
    versions = {p: v for p, f in sent.items() if (v := params.parse_int(f.get("v"), min_value=0)) is not None}
    try:
        result = services.save_attendance_column(request.user, lesson_id=lesson.pk, codes=codes, versions=versions)
    except services.ColumnConflict as c:
        if request.htmx:
            oob = "".join(
                f"<template>{S.attendance_cell(p, code, v, can_write=True, conflict=True, oob=True)}</template>"
                for p, (code, v) in sorted(c.theirs.items())
            )
            return _status(c.message, "err", oob=oob, status=409)
        return _page(request, lesson, True, typed_codes=codes, theirs=c.theirs, status=409)
    except services.ServiceError as e:
        if request.htmx:
            return _status(e.message, "err", status=422)
        return _page(request, lesson, True, attendance_error=e.message, typed_codes=codes, status=422)
    text = _("Посещаемость сохранена.")
    if result.changed:
        text = _("Посещаемость сохранена: изменено отметок — %(n)s.") % {"n": result.changed}
    if request.htmx:
        oob = render_to_string(
            "journal/lesson/_attendance_oob.html",
            {"versions": [(p, result.rows[p].version if p in result.rows else 0) for p in codes],
             "badges": [(p, result.rows[p].get_code_display() if p in result.rows else "") for p in codes]},
        )  # fmt: skip
        return _status(text, "ok", oob=oob)
    messages.success(request, text)
    return _back(lesson)


@_lesson_action
def lesson_pupil_notes(request, lesson):
    """Comments and individual homework of the pupils (fields comment_<id>, homework_<id>)."""
    notes = _per_pupil(request.POST, "comment", "homework")
    try:
        services.save_pupil_notes(request.user, lesson_id=lesson.pk, notes=notes)
    except PupilNotesError as e:
        if request.htmx:
            oob = render_to_string("journal/lesson/_notes_oob.html", {"errors": sorted(e.errors.items())})
            return _status(e.message, "err", oob=oob, status=422)
        return _page(request, lesson, True, notes_errors=e.errors, typed_notes=notes, status=422)
    text = _("Комментарии и индивидуальные задания сохранены.")
    if request.htmx:
        return _status(text, "ok")
    messages.success(request, text)
    return _back(lesson)
