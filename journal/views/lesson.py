"""The lesson page: topic, graded works, homework, comments, attendance and marks in one place.

The page is a GET (journal:lesson); each of its forms posts to its own URL and view
below (journal:lesson_topic, …), which answers with a redirect back to the page, or
the page itself with the refused form (422)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ejournal import params

from .. import access, rules, services
from ..forms import AssessmentForm, HomeworkForm, RemoveAssessmentForm, TopicForm
from ..grid import attendance_cell, mark_cell, pupils_of, slot_headers
from ..models import Assessment, Attendance, Homework, IndividualHomework, LessonComment, Mark
from ..services.lessons import PupilNotesError, homework_deadline


class _Slot:
    def __init__(self, kind, lesson, assessment=None):
        self.kind, self.lesson = kind, lesson
        self.assessment_id = assessment.pk if assessment else None
        if kind == "a":
            self.label, self.title = _("Посещ."), _("Посещаемость")
        elif assessment:
            self.label = assessment.work_type.name
            self.title = _("%(work_type)s, вес %(weight)s") % {
                "work_type": assessment.work_type.name,
                "weight": f"{assessment.weight:g}",
            }
        else:
            self.label, self.title = _("Отметка"), _("Отметка (вид работы — по умолчанию)")


def _page(request, lesson, can_write, *, forms=None, notes_errors=None, typed_notes=None, status=200):
    school = lesson.assignment.school_class.year.school
    assessments = list(Assessment.objects.filter(lesson=lesson).select_related("work_type"))
    marks_allowed = rules.marks_allowed(lesson.assignment.school_class, school)
    slots = [_Slot("a", lesson)]
    if marks_allowed:
        slots += [_Slot("m", lesson, a) for a in assessments] or [_Slot("m", lesson)]
    att = {
        p: (c, v, late)
        for p, c, v, late in Attendance.objects.filter(lesson=lesson).values_list(
            "pupil_id", "code", "version", "is_late"
        )
    }
    marks = {
        (a, p): (val, v, late)
        for a, p, val, v, late in Mark.objects.filter(assessment__lesson=lesson).values_list(
            "assessment_id", "pupil_id", "value", "version", "is_late"
        )
    }
    comments = dict(LessonComment.objects.filter(lesson=lesson).values_list("pupil_id", "text"))
    ihw = dict(IndividualHomework.objects.filter(lesson=lesson).values_list("pupil_id", "text"))
    typed_notes = typed_notes or {}
    notes_errors = notes_errors or {}
    rows = []
    for row in pupils_of(lesson.assignment, lesson.date, lesson.date):
        pid = row.pupil.pk
        cells = []
        for s in slots:
            if s.kind == "a":
                cells.append(attendance_cell(*att.get(pid, (None, 0, False))))
            else:
                cells.append(mark_cell(*marks.get((s.assessment_id, pid), (None, 0, False))))
        typed = typed_notes.get(pid, {})
        rows.append(
            {
                "pupil": row.pupil,
                "cells": mark_safe("".join(cells)),
                "comment": typed.get("comment", comments.get(pid, "")),
                "homework": typed.get("homework", ihw.get(pid, "")),
                "error": notes_errors.get(pid, ""),
            }
        )
    homework = Homework.objects.filter(lesson=lesson).first()
    forms = forms or {}
    ctx = {
        "lesson": lesson,
        "assignment": lesson.assignment,
        "can_write": can_write,
        "locked": rules.is_locked(lesson, school),
        "marks_allowed": marks_allowed,
        "homework_allowed": rules.homework_allowed(lesson.assignment.school_class, school),
        "homework": homework,
        "homework_deadline": homework_deadline(lesson, school),
        "assessments": [
            (
                a,
                forms.get(f"work_{a.pk}")
                or AssessmentForm(
                    school=school,
                    prefix=f"w{a.pk}",
                    initial={
                        "work_type": a.work_type_id,
                        "weight": f"{a.weight:g}".replace(".", ","),
                        "description": a.description,
                    },
                ),
                forms.get(f"remove_{a.pk}") or RemoveAssessmentForm(prefix=f"r{a.pk}"),
            )
            for a in assessments
        ],  # fmt: skip
        "topic_form": forms.get("topic") or TopicForm(initial={"topic": lesson.topic, "version": lesson.version}),
        "homework_form": forms.get("homework") or HomeworkForm(initial={"text": homework.text if homework else ""}),
        "add_form": forms.get("add") or AssessmentForm(school=school, prefix="new"),
        "slot_headers": slot_headers(slots),
        "rows": rows,
        "notes_error": bool(notes_errors),
    }
    return render(request, "journal/lesson.html", ctx, status=status)


@login_required
@require_safe
def lesson(request, pk):
    lesson, can_write = access.get_lesson_for_user(request.user, pk)
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
        lesson, can_write = access.get_lesson_for_user(request.user, pk)
        if not can_write:
            return _page(request, lesson, can_write, status=403)
        try:
            return view(request, lesson)
        except services.NotAllowed as e:
            messages.error(request, e.message)
        return _back(lesson)

    return wrapped


def _back(lesson):
    return redirect("journal:lesson", pk=lesson.pk)


def _refused(request, lesson, key, form):
    """The page again with the refused form in place (only writers post forms)."""
    return _page(request, lesson, True, forms={key: form}, status=422)


def _school(lesson):
    return lesson.assignment.school_class.year.school


@_lesson_action
def lesson_topic(request, lesson):
    form = TopicForm(request.POST)
    if not form.is_valid():
        return _refused(request, lesson, "topic", form)
    try:
        services.set_topic(
            request.user,
            lesson_id=lesson.pk,
            topic=form.cleaned_data["topic"],
            expected_version=form.cleaned_data["version"],
        )
    except services.ServiceError as e:
        form.add_error("topic", e.message)
        return _refused(request, lesson, "topic", form)
    messages.success(request, _("Тема сохранена."))
    return _back(lesson)


@_lesson_action
def lesson_homework(request, lesson):
    form = HomeworkForm(request.POST)
    if not form.is_valid():
        return _refused(request, lesson, "homework", form)
    try:
        services.set_homework(request.user, lesson_id=lesson.pk, text=form.cleaned_data["text"])
    except services.ServiceError as e:
        form.add_error("text", e.message)
        return _refused(request, lesson, "homework", form)
    messages.success(request, _("Домашнее задание сохранено."))
    return _back(lesson)


@_lesson_action
def lesson_work_add(request, lesson):
    form = AssessmentForm(request.POST, school=_school(lesson), prefix="new")
    if not form.is_valid():
        return _refused(request, lesson, "add", form)
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
        return _refused(request, lesson, "add", form)
    messages.success(request, _("Работа добавлена."))
    return _back(lesson)


def _work_of(request, lesson):
    """The lesson's graded work named by the form's `assessment` field, or None."""
    return lesson.assessments.filter(pk=params.parse_id(request.POST.get("assessment"))).first()


def _work_not_found(request, lesson):
    messages.error(request, _("Работа не найдена: обновите страницу."))
    return _back(lesson)


@_lesson_action
def lesson_work_change(request, lesson):
    a = _work_of(request, lesson)
    if a is None:
        return _work_not_found(request, lesson)
    key, form = f"work_{a.pk}", AssessmentForm(request.POST, school=_school(lesson), prefix=f"w{a.pk}")
    if not form.is_valid():
        return _refused(request, lesson, key, form)
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
        return _refused(request, lesson, key, form)
    messages.success(request, _("Работа изменена."))
    return _back(lesson)


@_lesson_action
def lesson_work_remove(request, lesson):
    a = _work_of(request, lesson)
    if a is None:
        return _work_not_found(request, lesson)
    key, form = f"remove_{a.pk}", RemoveAssessmentForm(request.POST, prefix=f"r{a.pk}")
    if not form.is_valid():
        return _refused(request, lesson, key, form)
    try:
        services.remove_assessment(request.user, assessment_id=a.pk, reason=form.cleaned_data["reason"])
    except services.ServiceError as e:
        form.add_error(None, e.message)
        return _refused(request, lesson, key, form)
    messages.success(request, _("Работа удалена."))
    return _back(lesson)


@_lesson_action
def lesson_pupil_notes(request, lesson):
    """Comments and individual homework of the pupils (fields comment_<id>, homework_<id>)."""
    notes = {}
    for key, value in request.POST.items():
        field, _sep, pid = key.partition("_")
        pid = params.parse_id(pid)
        if field in ("comment", "homework") and pid is not None:
            notes.setdefault(pid, {})[field] = value
    try:
        services.save_pupil_notes(request.user, lesson_id=lesson.pk, notes=notes)
    except PupilNotesError as e:
        return _page(request, lesson, True, notes_errors=e.errors, typed_notes=notes, status=422)
    messages.success(request, _("Комментарии и индивидуальные задания сохранены."))
    return _back(lesson)
