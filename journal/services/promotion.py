"""Promotion of pupils by the director's order (docs/DESIGN.md §3.26:
«электронный перевод обучающихся из класса в класс по приказу директора»).

The director — or the administrator on the director's order (PROMOTION_RECORDERS) —
records the order (number, date) of a year, then the decision for every pupil enrolled
on the year's last day, class by class or the whole school at once. The decisions are
proposed from the final marks (`propose`): a failing final mark (or, without one, year
mark) in a subject makes «переведён условно» with those subjects in debt; an 11th class
is «выпущен». The recorder may change any proposal before confirming.

Confirming writes, in one transaction under the school's audit chain:

- one `PromotionDecision` per pupil (a pupil has one decision a year: a constraint);
- for «переведён», «переведён условно» and «оставлен на повторное обучение» a new
  enrollment in the next year's class from its first day — the class that continues the
  pupil's class (`SchoolClass.carried_from`), or for a repeat year the new class of the
  same grade and letter — with the order's number and date as its arrival order;
- in the old year only this: the pupil's open enrollment gets its end — the year's last
  day — with the decision as the reason and the order as the departure order. An
  enrollment already closed is left as it is; marks, lessons, period marks and everything
  else of the old year are not touched. That end is what keeps the rule "a pupil is never
  in two classes at once" (an open stay in 5А would run into the stay in 6А) and what the
  pupil-movement reports count.

Promoting the whole school skips the pupils already decided, so a run that stopped
(or a class confirmed before) is resumed, not repeated.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import audit

from .. import access
from ..models import (
    AcademicYear,
    Enrollment,
    PeriodMark,
    PromotionDecision,
    PromotionOrder,
    SchoolClass,
    Subject,
)
from . import setup_common as C
from .errors import NotAllowed, ServiceError

D = PromotionDecision.Decision
M = Enrollment.Movement
LAST_GRADE = 11
# Graduation ends basic (9th) or secondary (11th) general education.
GRADUATING_GRADES = (9, LAST_GRADE)
FAILING = {PeriodMark.Value.TWO, PeriodMark.Value.ONE, PeriodMark.Value.FAIL, PeriodMark.Value.NOT_ATTESTED}
STAYING = {D.PROMOTED, D.CONDITIONAL, D.REPEATED}
MOVEMENT = {
    D.PROMOTED: M.PROMOTED,
    D.CONDITIONAL: M.CONDITIONAL,
    D.REPEATED: M.REPEATED,
    D.GRADUATED: M.GRADUATED,
    D.LEFT: M.LEFT,
}
NUMBER_MAX = 40


def require_recorder(actor):
    if not access.can_promote_pupils(actor):
        raise NotAllowed(_("Перевод учащихся вносит директор или администратор по приказу директора."))


def next_year_of(year: AcademicYear) -> AcademicYear | None:
    """The year whose classes continue `year`'s (made by the next-year wizard)."""
    klass = SchoolClass.objects.filter(carried_from__year=year).select_related("year").order_by("pk").first()
    return klass.year if klass else None


def _no_next_year(year) -> ServiceError:
    return ServiceError(
        _(
            "Следующего учебного года после %(name)s ещё нет: администратор создаёт его в «Настройке школы» "
            "(«Следующий учебный год из прошлого»), затем вносится перевод."
        )
        % {"name": year.name},
        code="no_next_year",
    )


# --- proposals ---------------------------------------------------------------------------


@dataclass
class Proposal:
    enrollment: Enrollment
    school_class: SchoolClass
    decision: str
    debts: list = field(default_factory=list)  # Subject
    done: PromotionDecision | None = None

    @property
    def pupil(self):
        return self.enrollment.pupil


def year_classes(year):
    return SchoolClass.objects.filter(year=year).order_by("grade", "letter")


def final_marks(year, pupil_ids) -> dict:
    """{pupil: {subject: value}}: the final mark where there is one, else the year mark."""
    rows = (
        PeriodMark.objects.filter(
            period__year=year, pupil_id__in=pupil_ids, kind__in=[PeriodMark.Kind.YEAR, PeriodMark.Kind.FINAL]
        )
        .order_by("kind")  # "final" < "year": the final mark is seen first
        .values_list("pupil_id", "subject_id", "value")
    )
    out: dict = {}
    for pupil, subject, value in rows:
        out.setdefault(pupil, {}).setdefault(subject, value)
    return out


def propose(year, classes) -> list[Proposal]:
    """The proposals for the pupils of `classes` enrolled on the year's last day, in class
    and name order, each with the decision already recorded (`done`) if there is one."""
    classes = list(classes)
    by_id = {k.pk: k for k in classes}
    enrollments = list(
        Enrollment.objects.on(year.end)
        .filter(school_class__in=classes)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pupil__patronymic", "pk")
    )
    pupils = [e.pupil_id for e in enrollments]
    done = {
        d.pupil_id: d
        for d in PromotionDecision.objects.filter(year=year, pupil_id__in=pupils)
        .select_related("order", "to_class")
        .prefetch_related("debts")
    }
    marks = final_marks(year, pupils)
    subjects = {s.pk: s for s in Subject.objects.filter(school_id=year.school_id)}
    out = []
    for e in enrollments:
        klass = by_id[e.school_class_id]
        failing = [subjects[s] for s, v in marks.get(e.pupil_id, {}).items() if v in FAILING and s in subjects]
        failing.sort(key=lambda s: (s.order, s.name))
        if klass.grade >= LAST_GRADE:
            decision, debts = D.GRADUATED, []
        elif failing:
            decision, debts = D.CONDITIONAL, failing
        else:
            decision, debts = D.PROMOTED, []
        out.append(Proposal(e, klass, decision, debts, done.get(e.pupil_id)))
    out.sort(key=lambda p: (p.school_class.grade, p.school_class.letter))
    return out


def targets(year, new_year) -> dict:
    """{(old class pk, decision): new class} for the decisions that keep a pupil at school."""
    new_classes = list(SchoolClass.objects.filter(year=new_year))
    carried = {k.carried_from_id: k for k in new_classes if k.carried_from_id}
    by_name = {(k.grade, k.letter): k for k in new_classes}
    by_grade: dict = {}
    for k in sorted(new_classes, key=lambda k: k.letter):
        by_grade.setdefault(k.grade, k)
    out = {}
    for k in year_classes(year):
        if k.pk in carried:
            out[(k.pk, D.PROMOTED)] = out[(k.pk, D.CONDITIONAL)] = carried[k.pk]
        again = by_name.get((k.grade, k.letter)) or by_grade.get(k.grade)
        if again is not None:
            out[(k.pk, D.REPEATED)] = again
    return out


# --- the order ---------------------------------------------------------------------------


def _year(actor, year_id) -> AcademicYear:
    year = AcademicYear.objects.select_for_update().filter(pk=year_id, school_id=actor.school_id).first()
    if year is None:
        raise ServiceError(_("Запись не найдена."), code="not_found")
    if year.is_closed:
        raise ServiceError(_("Учебный год %(name)s закрыт: его не меняют.") % {"name": year.name}, code="closed")
    return year


def record_order(actor, *, year_id, number, date, now=None) -> PromotionOrder:
    """The director's promotion order of a year: its number and date."""
    require_recorder(actor)
    with audit.chain(actor.school_id):
        year = _year(actor, year_id)
        if next_year_of(year) is None:
            raise _no_next_year(year)
        number = C.text(number, label=_("номер приказа"), limit=NUMBER_MAX)
        if date is None:
            raise ServiceError(_("Укажите дату приказа."), code="required")
        if not year.start <= date <= latest_order_day(year):
            raise ServiceError(
                _("Дата приказа о переводе — в пределах учебного года %(name)s или летом после него (до %(day)s).")
                % {"name": year.name, "day": C.d(latest_order_day(year))},
                code="bad_date",
            )
        if PromotionOrder.objects.filter(year=year, number__iexact=number).exists():
            raise ServiceError(
                _("Приказ № %(number)s за %(year)s уже внесён.") % {"number": number, "year": year.name},
                code="duplicate",
            )
        order = PromotionOrder(year=year, number=number, date=date, recorded_by=actor)
        C.save(order)
        audit.record(
            actor=actor,
            action="promotion.order_create",
            obj=order,
            school=actor.school_id,
            after={"year": year.pk, "number": number, "date": date},
        )
        return order


def latest_order_day(year):
    """An order is dated within the year or the summer after it (by 31 August)."""
    return year.end.replace(month=8, day=31) if year.end.month <= 8 else year.end


# --- the decisions -----------------------------------------------------------------------


def _locked_order(actor, order_id) -> tuple[PromotionOrder, AcademicYear, AcademicYear]:
    order = PromotionOrder.objects.filter(pk=order_id, year__school_id=actor.school_id).first()
    if order is None:
        raise ServiceError(_("Запись не найдена."), code="not_found")
    year = _year(actor, order.year_id)
    new_year = next_year_of(year)
    if new_year is None:
        raise _no_next_year(year)
    return order, year, new_year


def _check(p: Proposal, decision, debts, target):
    name = p.pupil.full_name
    if decision not in D.values:
        raise ServiceError(_("Выберите решение для ученика %(name)s.") % {"name": name}, code="bad_decision")
    grade = p.school_class.grade
    if grade >= LAST_GRADE and decision in (D.PROMOTED, D.CONDITIONAL):
        raise ServiceError(
            _("%(name)s учится в %(klass)s — выпускном классе: выпускника не переводят, его выпускают.")
            % {"name": name, "klass": p.school_class},
            code="graduate_promoted",
        )
    if decision == D.GRADUATED and grade not in GRADUATING_GRADES:
        raise ServiceError(
            _("Выпустить можно только из 9 или 11 класса, а %(name)s учится в %(klass)s.")
            % {"name": name, "klass": p.school_class},
            code="not_graduating",
        )
    if decision == D.CONDITIONAL and not debts:
        raise ServiceError(
            _("Условный перевод — с академической задолженностью: отметьте её предметы для ученика %(name)s.")
            % {"name": name},
            code="no_debts",
        )
    if decision in STAYING and target is None:
        raise ServiceError(
            _(
                "Для ученика %(name)s нет класса в новом учебном году (%(decision)s из %(klass)s): добавьте класс в «Настройке школы»."
            )
            % {"name": name, "decision": D(decision).label, "klass": p.school_class},
            code="no_class",
        )


def promote_class(actor, *, order_id, class_id, choices: dict | None = None, now=None) -> list[PromotionDecision]:
    """Confirm a class: `choices` {pupil id: (decision, [subject ids])} for its pupils not
    yet decided (None: the proposals as they are)."""
    require_recorder(actor)
    with audit.chain(actor.school_id):
        order, year, new_year = _locked_order(actor, order_id)
        klass = SchoolClass.objects.filter(pk=class_id, year=year).first()
        if klass is None:
            raise ServiceError(_("Запись не найдена."), code="not_found")
        proposals = propose(year, [klass])
        for p in proposals:
            if p.done is not None and choices and p.pupil.pk in choices:
                raise ServiceError(
                    _("%(name)s уже %(decision)s (%(order)s): второй раз ученика не переводят.")
                    % {"name": p.pupil.full_name, "decision": p.done.get_decision_display(), "order": p.done.order},
                    code="twice",
                )
        pending = [p for p in proposals if p.done is None]
        if not pending:
            raise ServiceError(
                _("Решения по всем ученикам %(klass)s уже внесены.") % {"klass": klass}, code="nothing_to_do"
            )
        if choices is not None:
            subjects = {s.pk: s for s in Subject.objects.filter(school_id=actor.school_id)}
            for p in pending:
                if p.pupil.pk not in choices:
                    raise ServiceError(
                        _("Выберите решение для ученика %(name)s.") % {"name": p.pupil.full_name},
                        code="bad_decision",
                    )
                decision, debt_ids = choices[p.pupil.pk]
                p.decision = decision
                p.debts = [subjects[i] for i in debt_ids if i in subjects] if decision == D.CONDITIONAL else []
        return _apply(actor, order, year, new_year, pending, now)


def promote_school(actor, *, order_id, now=None) -> list[PromotionDecision]:
    """Every pupil of the year not yet decided, as proposed: one transaction."""
    require_recorder(actor)
    with audit.chain(actor.school_id):
        order, year, new_year = _locked_order(actor, order_id)
        pending = [p for p in propose(year, year_classes(year)) if p.done is None]
        if not pending:
            raise ServiceError(
                _("Решения по всем ученикам %(year)s уже внесены.") % {"year": year.name}, code="nothing_to_do"
            )
        return _apply(actor, order, year, new_year, pending, now)


def _apply(actor, order, year, new_year, pending: list[Proposal], now) -> list[PromotionDecision]:
    goes = targets(year, new_year)
    for p in pending:
        _check(p, p.decision, p.debts, goes.get((p.school_class.pk, p.decision)))
    pupils = [p.pupil.pk for p in pending]
    there = (
        Enrollment.objects.filter(pupil_id__in=pupils)
        .exclude(pk__in=[p.enrollment.pk for p in pending])  # the stays this promotion closes
        .overlapping(new_year.start, new_year.end)
        .select_related("pupil", "school_class")
        .order_by("pk")
        .first()
    )
    if there is not None:
        raise ServiceError(
            _("%(name)s уже зачислен(а) в %(klass)s с %(day)s: сначала исправьте движение учащихся.")
            % {"name": there.pupil.full_name, "klass": there.school_class, "day": C.d(there.start)},
            code="enrolled",
        )
    closing, new_enrollments, decisions, events = [], [], [], []
    for p in pending:
        e = p.enrollment
        reason = MOVEMENT[p.decision]
        if e.end is None:
            before = {"end": None, "end_reason": e.end_reason, "end_order": e.end_order, "end_order_date": None}
            e.end, e.end_reason, e.end_order, e.end_order_date = year.end, reason, order.number, order.date
            closing.append(e)
            events.append(
                {
                    "action": "enrollment.end",
                    "obj": e,
                    "before": before,
                    "after": {"end": e.end, "end_reason": reason, "end_order": order.number,
                              "end_order_date": order.date},
                }
            )  # fmt: skip
        target = goes.get((p.school_class.pk, p.decision)) if p.decision in STAYING else None
        new = None
        if target is not None:
            new = Enrollment(
                pupil_id=p.pupil.pk, school_class=target, start=new_year.start, start_reason=reason,
                start_order=order.number, start_order_date=order.date,
            )  # fmt: skip
            new_enrollments.append(new)
        decisions.append(
            PromotionDecision(
                order=order, year=year, pupil_id=p.pupil.pk, from_class=p.school_class, decision=p.decision,
                to_class=target, new_enrollment=new, decided_by=actor,
            )
        )  # fmt: skip
    try:
        with transaction.atomic():
            Enrollment.objects.bulk_update(closing, ["end", "end_reason", "end_order", "end_order_date"])
            Enrollment.objects.bulk_create(new_enrollments)
            for d in decisions:
                d.new_enrollment_id = d.new_enrollment.pk if d.new_enrollment else None
            PromotionDecision.objects.bulk_create(decisions)
    except IntegrityError as exc:
        raise ServiceError(
            _("Перевод не внесён: он противоречит движению учащихся или уже внесённому решению. Обновите страницу."),
            code="conflict",
        ) from exc
    through = PromotionDecision.debts.through
    through.objects.bulk_create(
        [through(promotiondecision_id=d.pk, subject_id=s.pk) for d, p in zip(decisions, pending, strict=True)
         for s in p.debts]
    )  # fmt: skip
    for new in new_enrollments:
        events.append(
            {
                "action": "enrollment.create",
                "obj": new,
                "after": {"pupil": new.pupil_id, "school_class": new.school_class_id, "start": new.start,
                          "start_reason": new.start_reason, "start_order": new.start_order,
                          "start_order_date": new.start_order_date},
            }
        )  # fmt: skip
    for d, p in zip(decisions, pending, strict=True):
        events.append(
            {
                "action": "promotion.decide",
                "obj": d,
                "after": {"order": order.pk, "pupil": d.pupil_id, "from_class": d.from_class_id,
                          "decision": d.decision, "debts": [s.pk for s in p.debts], "to_class": d.to_class_id},
            }
        )  # fmt: skip
    audit.record_many(actor=actor, school=actor.school_id, events=events)
    return decisions


def progress(year) -> dict:
    """{class pk: (decided, pupils on the year's last day)} for the year's page."""
    on_end = Enrollment.objects.on(year.end).filter(school_class__year=year)
    pupils: dict = {}
    for class_id, pupil_id in on_end.values_list("school_class_id", "pupil_id"):
        pupils.setdefault(class_id, set()).add(pupil_id)
    decided = set(PromotionDecision.objects.filter(year=year).values_list("pupil_id", flat=True))
    return {k: (len(ps & decided), len(ps)) for k, ps in pupils.items()}
