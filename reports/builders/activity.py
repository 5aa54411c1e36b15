"""Monthly user-activity report: what is counted (plain JSON data) and how it is printed."""

import calendar
from collections import Counter, defaultdict
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import DailyActivity, Guardianship, LoginEvent, RoleAssignment, User
from journal import roles as R
from journal.models import AcademicYear, Enrollment, Homework, Lesson, Mark, SchoolClass, TeachingAssignment

from ..document import LANDSCAPE, Column, Facts, Part, Report, Row, Table
from . import common as C

# Lazy: translated when a report is built, in the language of whoever reads it.
ROLE_ORDER = [
    (R.DIRECTOR, gettext_lazy("Директор")),
    (R.DEPUTY, gettext_lazy("Заместитель директора")),
    (R.ADMIN, gettext_lazy("Администратор ЭЖ")),
    (R.TEACHER, gettext_lazy("Учителя")),
    (R.CLASS_TEACHER, gettext_lazy("Классные руководители")),
    (R.STUDENT, gettext_lazy("Учащиеся")),
    (R.PARENT, gettext_lazy("Родители")),
]
ROLE_LABELS = dict(ROLE_ORDER)


def month_bounds(month: date):
    last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    start = timezone.make_aware(datetime.combine(month, time.min))
    end = timezone.make_aware(datetime.combine(last, time.max))
    return last, start, end


def role_members(school, first: date, last: date) -> dict:
    """role → set of user ids of the school holding it during the month."""
    members = defaultdict(set)
    for uid, role in RoleAssignment.objects.filter(school=school).values_list("user_id", "role"):
        members[role].add(uid)
    members[R.TEACHER] = set(
        TeachingAssignment.objects.filter(
            AcademicYear.objects.overlapping_q(first, last, prefix="school_class__year__"),
            school_class__year__school=school,
            is_active=True,
        ).values_list("teacher_id", flat=True)
    )
    members[R.CLASS_TEACHER] = set(
        SchoolClass.objects.filter(
            AcademicYear.objects.overlapping_q(first, last, prefix="year__"),
            year__school=school,
            class_teacher__isnull=False,
        ).values_list("class_teacher_id", flat=True)
    )
    pupils = set(
        Enrollment.objects.overlapping(first, last)
        .filter(school_class__year__school=school)
        .values_list("pupil_id", flat=True)
    )
    members[R.STUDENT] = pupils
    members[R.PARENT] = set(Guardianship.objects.filter(child_id__in=pupils).values_list("parent_id", flat=True))
    return members


def compute(school, month: date) -> dict:
    """The month's figures as JSON-ready data (stored, then rendered on request)."""
    last, start, end = month_bounds(month)
    members = role_members(school, month, last)
    everyone = set().union(*members.values()) if members else set()
    logins = Counter(
        dict(
            LoginEvent.objects.filter(user_id__in=everyone, kind=LoginEvent.Kind.LOGIN, at__gte=start, at__lte=end)
            .values_list("user_id")
            .annotate(n=Count("id"))
            .values_list("user_id", "n")
        )
    )
    days = Counter()
    diary = set()
    for uid, n_days, views in (
        DailyActivity.objects.filter(user_id__in=everyone, day__gte=month, day__lte=last)
        .values("user_id")
        .annotate(d=Count("id"), v=Count("id", filter=Q(diary_views__gt=0)))
        .values_list("user_id", "d", "v")
    ):
        days[uid] = n_days
        if views:
            diary.add(uid)
    roles = []
    for code, label in ROLE_ORDER:
        ids = members.get(code, set())
        active = {u for u in ids if days[u] or logins[u]}
        roles.append(
            {
                "role": code,
                "label": str(label),
                "accounts": len(ids),
                "active": len(active),
                "logins": sum(logins[u] for u in ids),
                "active_days": sum(days[u] for u in ids),
            }
        )
    share = {}
    for code in (R.PARENT, R.STUDENT):
        ids = members.get(code, set())
        opened = len(ids & diary)
        share[code] = {"total": len(ids), "opened": opened, "percent": str(_pct(opened, len(ids)))}
    teachers = _teachers(school, members.get(R.TEACHER, set()), month, last, start, end)
    return {"month": month.isoformat(), "roles": roles, "diary": share, "teachers": teachers}


def _pct(part, whole):
    from ..metrics import percent

    return percent(part, whole)


def _teachers(school, teacher_ids, first, last, start, end):
    lessons = Counter()
    for tid, has_topic, late in Lesson.objects.filter(
        assignment__teacher_id__in=teacher_ids,
        date__gte=first,
        date__lte=last,
        status=Lesson.Status.PLANNED,
    ).values_list("assignment__teacher_id", "topic", "topic_late"):
        lessons[(tid, "all")] += 1
        if has_topic:
            lessons[(tid, "late" if late else "on_time")] += 1
    marks = Counter()
    for tid, late, n in (
        Mark.objects.filter(created_by_id__in=teacher_ids, created_at__gte=start, created_at__lte=end)
        .values_list("created_by_id", "is_late")
        .annotate(n=Count("id"))
        .values_list("created_by_id", "is_late", "n")
    ):
        marks[(tid, "all")] += n
        if late:
            marks[(tid, "late")] += n
    homework = Counter()
    for tid, late, n in (
        Homework.objects.filter(
            lesson__assignment__teacher_id__in=teacher_ids, created_at__gte=start, created_at__lte=end
        )
        .values_list("lesson__assignment__teacher_id", "is_late")
        .annotate(n=Count("id"))
        .values_list("lesson__assignment__teacher_id", "is_late", "n")
    ):
        homework[(tid, "all")] += n
        if late:
            homework[(tid, "late")] += n
    out = []
    for t in User.objects.filter(pk__in=teacher_ids).order_by("last_name", "first_name"):
        out.append(
            {
                "id": t.pk,
                "name": t.short_name,
                "lessons": lessons[(t.pk, "all")],
                "filled_on_time": lessons[(t.pk, "on_time")],
                "filled_late": lessons[(t.pk, "late")],
                "not_filled": lessons[(t.pk, "all")] - lessons[(t.pk, "on_time")] - lessons[(t.pk, "late")],
                "marks": marks[(t.pk, "all")],
                "marks_late": marks[(t.pk, "late")],
                "homework": homework[(t.pk, "all")],
                "homework_late": homework[(t.pk, "late")],
            }
        )
    return out


def activity_report(obj) -> Report:
    """The stored MonthlyActivity as a printable document."""
    from decimal import Decimal

    data = obj.data
    month = date.fromisoformat(data["month"])
    roles = Table(
        title=_("Пользователи по ролям"),
        columns=[
            Column(_("Роль"), width="wide"),
            Column(_("Учётных записей"), width="num"),
            Column(_("Работали в месяце"), width="num"),
            Column(_("Входов"), width="num"),
            Column(_("Дней активности"), width="num"),
        ],
    )
    for r in data["roles"]:
        # The stored label is in the language of the month's computation; the reader's own comes first.
        label = str(ROLE_LABELS.get(r["role"], r["label"]))
        roles.rows.append(Row([label, r["accounts"], r["active"], r["logins"], r["active_days"]]))

    def pct(v):
        return None if v in (None, "None") else Decimal(v)

    diary = Facts(
        [
            (
                _("Родители, открывавшие дневник"),
                _("%(n)s из %(t)s") % {"n": data["diary"][R.PARENT]["opened"], "t": data["diary"][R.PARENT]["total"]},
            ),
            (_("Доля родителей, %"), pct(data["diary"][R.PARENT]["percent"])),
            (
                _("Учащиеся, открывавшие дневник"),
                _("%(n)s из %(t)s") % {"n": data["diary"][R.STUDENT]["opened"], "t": data["diary"][R.STUDENT]["total"]},
            ),
            (_("Доля учащихся, %"), pct(data["diary"][R.STUDENT]["percent"])),
        ],
        title=_("Дневник"),
    )
    g_lessons, g_marks, g_hw = _("Уроки"), _("Отметки"), _("Домашние задания")
    teachers = Table(
        title=_("Учителя"),
        columns=[
            Column("№", width="idx"),
            Column(_("Учитель"), width="name"),
            Column(_("всего"), group=g_lessons, width="num"),
            Column(_("заполнено в срок"), group=g_lessons, width="num"),
            Column(_("с опозданием"), group=g_lessons, width="num"),
            Column(_("не заполнено"), group=g_lessons, width="num"),
            Column(_("выставлено"), group=g_marks, width="num"),
            Column(_("с опозданием"), group=g_marks, width="num"),
            Column(_("внесено"), group=g_hw, width="num"),
            Column(_("с опозданием"), group=g_hw, width="num"),
        ],
        key_columns=2,
    )
    for i, t in enumerate(data["teachers"], 1):
        teachers.rows.append(
            Row(
                [
                    i,
                    t["name"],
                    t["lessons"],
                    t["filled_on_time"],
                    t["filled_late"],
                    t["not_filled"],
                    t["marks"],
                    t["marks_late"],
                    t["homework"],
                    t["homework_late"],
                ]
            )
        )
    part = Part(
        title=_("Отчёт об активности пользователей"),
        subtitle=[_("Месяц: %(m)s") % {"m": f"{C.month_name(month.month)} {month.year}"}],
        blocks=[roles, diary, teachers],
        orientation=LANDSCAPE,
        signatures=[C.deputy_signature()],
        sheet=_("Активность"),
    )
    return Report(
        kind="monthly_activity",
        title=part.title,
        school_name=obj.school.full_name,
        built_at=obj.created_at,
        parts=[part],
        filename=f"aktivnost-{month:%Y-%m}",
    )
