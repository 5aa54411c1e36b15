"""The deputy's control report (docs/DESIGN.md §4.3): journal discipline per teacher and per class.

The figures are journal.control.report's (the same definitions as the control page), so
the printed report and the page never disagree; this module only adds what the
page does not show (substitutions, the diary activity of parents and pupils,
open violations by kind) and lays it out as a document.
"""

from collections import Counter
from datetime import date

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import DailyActivity, User
from journal import roles as R
from journal.control import report as control
from journal.models import Substitution, Violation

from ..document import LANDSCAPE, Column, Facts, Part, Report, Row, Table
from ..metrics import percent
from . import common as C
from .activity import role_members


def _figure_columns():
    return [
        Column(_("Уроков"), width="num"),
        Column(_("Вовремя, %"), width="num"),
        Column(_("С опозданием, %"), width="num"),
        Column(_("Не заполнено, %"), width="num"),
        Column(_("ДЗ, %"), width="num"),
        Column(_("Отметок на ученика за урок"), width="num"),
        Column(_("Без отметок, %"), width="num"),
        Column(_("С одной отметкой, %"), width="num"),
        Column(_("КТП на год, ч."), width="num"),
        Column(_("Учебный план, ч."), width="num"),
        Column(_("Проведено с начала года"), width="num"),
        Column(_("Нарушений"), width="num"),
    ]


def _figures(f) -> list:
    return [
        f.lessons,
        f.on_time_pct,
        f.late_pct,
        f.unfilled_pct,
        f.homework_pct,
        f.density,
        f.no_marks_pct,
        f.one_mark_pct,
        f.plan_hours,
        f.curriculum_hours or None,
        f.held_to_date,
        f.open_violations,
    ]


def diary_share(school, start: date, end: date) -> dict:
    """role → (opened, total): parents and pupils of the school who opened the diary in [start, end]."""
    members = role_members(school, start, end)
    out = {}
    for role in (R.PARENT, R.STUDENT):
        ids = members.get(role, set())
        opened = (
            DailyActivity.objects.filter(user_id__in=ids, day__gte=start, day__lte=end, diary_views__gt=0)
            .values("user_id")
            .distinct()
            .count()
            if ids
            else 0
        )
        out[role] = (opened, len(ids))
    return out


def substitutions(year, start: date, end: date) -> list[tuple[str, int]]:
    """(substitute, lessons) of the lessons in [start, end] given to a substitute (revoked ones excluded)."""
    rows = (
        Substitution.objects.filter(
            lesson__assignment__school_class__year=year,
            lesson__date__gte=start,
            lesson__date__lte=end,
            revoked_at__isnull=True,
        )
        .values("substitute_id")
        .annotate(n=Count("id"))
        .values_list("substitute_id", "n")
    )
    counts = dict(rows)
    names = {u.pk: u.short_name for u in User.objects.filter(pk__in=counts)}
    return sorted(((names[uid], n) for uid, n in counts.items()), key=lambda t: t[0])


def control_report(year, period, now=None) -> Report:
    """Контрольный отчёт о ведении электронного журнала за период (до сегодняшнего дня)."""
    now = now or C.now()
    school = year.school
    start, end = period.start, period.end
    stats = control.journal_stats(school, start, end, now)
    total = control.Figures()
    for st in stats:
        total.add(st)
    until = min(end, timezone.localtime(now).date())
    diary = diary_share(school, start, until) if until >= start else {R.PARENT: (0, 0), R.STUDENT: (0, 0)}
    subs = substitutions(year, start, end)
    open_by_kind = Counter(
        Violation.objects.filter(school=school, resolved_at__isnull=True).values_list("kind", flat=True)
    )

    teachers = Table(columns=[Column(_("Учитель"), width="name")] + _figure_columns(), key_columns=1)
    for g in control.by_teacher(stats):
        teachers.rows.append(Row([g.name] + _figures(g)))
    teachers.foot.append(Row([_("Всего по школе")] + _figures(total), "total"))
    teachers.title = _("По учителям")

    classes = Table(columns=[Column(_("Класс, предмет"), width="name")] + _figure_columns(), key_columns=1)
    for g in control.by_class(stats):
        classes.rows.append(Row([g.name] + _figures(g), "total"))
        for j in g.journals:
            label = f"{j.group} · {j.subject}" if j.group else j.subject
            classes.rows.append(Row([f"{label} ({j.teacher})"] + _figures(j)))
    classes.title = _("По классам")

    subs_table = Table(
        columns=[Column(_("Заменяющий учитель"), width="name"), Column(_("Замещено уроков"), width="num")],
        rows=[Row([name, n]) for name, n in subs],
        foot=[Row([_("Всего"), sum(n for _name, n in subs)], "total")],
        title=_("Замещения"),
        key_columns=1,
    )
    kinds = Table(
        columns=[Column(_("Вид нарушения"), width="wide"), Column(_("Открыто"), width="num")],
        rows=[Row([str(label), open_by_kind[code]]) for code, label in Violation.Kind.choices if open_by_kind[code]],
        foot=[Row([_("Всего"), sum(open_by_kind.values())], "total")],
        title=_("Открытые нарушения сроков на %(d)s") % {"d": timezone.localtime(now).strftime("%d.%m.%Y %H:%M")},
        key_columns=1,
    )
    parents, pupils = diary[R.PARENT], diary[R.STUDENT]
    facts = Facts(
        [
            (_("Уроков проведено"), total.lessons),
            (_("Заполнено вовремя, %"), total.on_time_pct),
            (_("Заполнено с опозданием, %"), total.late_pct),
            (_("Не заполнено, %"), total.unfilled_pct),
            (_("Домашнее задание внесено, %"), total.homework_pct),
            (_("Отметок на ученика за урок"), total.density),
            (_("Учеников без отметок, %"), total.no_marks_pct),
            (_("Учеников с одной отметкой, %"), total.one_mark_pct),
            (_("Замещено уроков"), sum(n for _name, n in subs)),
            (_("Родители: открывали дневник"), _("%(n)s из %(t)s") % {"n": parents[0], "t": parents[1]}),
            (_("Родители: открывали дневник, %"), percent(*parents)),
            (_("Учащиеся: открывали дневник"), _("%(n)s из %(t)s") % {"n": pupils[0], "t": pupils[1]}),
            (_("Учащиеся: открывали дневник, %"), percent(*pupils)),
            (_("Открытых нарушений сроков"), sum(open_by_kind.values())),
        ],
        title=_("Итоги по школе"),
    )
    part = Part(
        title=_("Контрольный отчёт о ведении электронного журнала"),
        subtitle=[
            _("%(y)s учебный год, %(p)s") % {"y": year.name, "p": C.period_name(period)},
            _("С %(s)s по %(e)s; уроки учитываются после срока их заполнения, по %(u)s")
            % {"s": start.strftime("%d.%m.%Y"), "e": end.strftime("%d.%m.%Y"), "u": until.strftime("%d.%m.%Y")},
            _(
                "«КТП на год» — часы тематического планирования на весь учебный год; «Проведено с начала года» — "
                "уроки с начала учебного года по конец периода."
            ),
        ],
        blocks=[facts, teachers, classes, subs_table, kinds],
        orientation=LANDSCAPE,
        signatures=[C.deputy_signature()],
        sheet=_("Контроль"),
    )
    return Report(
        kind="control",
        title=part.title,
        school_name=school.full_name,
        built_at=now,
        parts=[part],
        filename="kontrolnyi-otchet",
    )
