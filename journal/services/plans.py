"""КТП: editing the plan rows, importing it from a file, and filling lesson topics from it."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from ejournal import params, prepared

from .. import access, rules
from ..models import CurriculumLine, Lesson, LessonPlanLink, PlanItem, TeachingAssignment, ThematicPlan, WorkType
from ..models.plans import MAX_ITEM_HOURS
from .errors import NotAllowed, ServiceError
from .limits import clean_text

MAX_TOPIC = 500


def _school(assignment):
    return assignment.school_class.year.school


def _load_assignment(actor, assignment_id) -> TeachingAssignment:
    assignment = TeachingAssignment.objects.select_related("school_class__year__school", "subject").get(
        pk=assignment_id
    )
    if assignment.teacher_id != actor.pk:
        raise NotAllowed(_("КТП ведёт учитель этого журнала."))
    return assignment


def _plan_for_update(actor, assignment) -> ThematicPlan:
    plan, _created = ThematicPlan.objects.get_or_create(assignment=assignment, defaults={"updated_by": actor})
    # Serialise editors of one plan: positions are renumbered as a whole.
    plan = ThematicPlan.objects.select_for_update().get(pk=plan.pk)
    plan.updated_by = actor
    plan.save(update_fields=["updated_by", "updated_at"])
    return plan


def _item_state(item: PlanItem) -> dict:
    return {"position": item.position, "topic": item.topic, "hours": item.hours, "work_type": item.work_type_id}


def validate_item(topic, hours, work_type, school) -> tuple[str, int]:
    topic = clean_text(topic, max_length=MAX_TOPIC, field=_("Тема"))
    if not topic:
        raise ServiceError(_("Укажите тему."), code="topic_required")
    hours = hours if isinstance(hours, int) else params.parse_int(hours)
    if hours is None:
        raise ServiceError(_("Количество часов — целое число."), code="bad_hours")
    if not 1 <= hours <= MAX_ITEM_HOURS:
        raise ServiceError(_("Количество часов — от 1 до %(max)s.") % {"max": MAX_ITEM_HOURS}, code="bad_hours")
    if work_type is not None and work_type.school_id != school.pk:
        raise ServiceError(_("Вид работы другой школы."), code="bad_work_type")
    return topic, hours


def _renumber(plan):
    for n, item in enumerate(plan.items.order_by("position", "id"), 1):
        if item.position != n:
            item.position = n
            item.save(update_fields=["position"])


def add_item(actor, *, assignment_id, topic, hours=1, work_type=None, position=None) -> PlanItem:
    """Add a topic at `position` (1-based; end of the plan by default)."""
    with audit.chain(actor.school_id):
        assignment = _load_assignment(actor, assignment_id)
        school = _school(assignment)
        topic, hours = validate_item(topic, hours, work_type, school)
        plan = _plan_for_update(actor, assignment)
        last = plan.items.aggregate(m=Max("position"))["m"] or 0
        if position is None or position > last:
            position = last + 1
        position = max(1, int(position))
        plan.items.filter(position__gte=position).update(position=F("position") + 1)
        item = PlanItem.objects.create(plan=plan, position=position, topic=topic, hours=hours, work_type=work_type)
        audit.record(actor=actor, action="plan.item_add", obj=item, school=school, after=_item_state(item))
        return item


def update_item(actor, *, item_id, topic, hours, work_type=None) -> PlanItem:
    with audit.chain(actor.school_id):
        item = PlanItem.objects.select_related("plan").get(pk=item_id)
        assignment = _load_assignment(actor, item.plan.assignment_id)
        school = _school(assignment)
        topic, hours = validate_item(topic, hours, work_type, school)
        _plan_for_update(actor, assignment)
        item = PlanItem.objects.select_for_update().get(pk=item_id)
        before = _item_state(item)
        item.topic, item.hours, item.work_type = topic, hours, work_type
        item.save(update_fields=["topic", "hours", "work_type"])
        audit.record(
            actor=actor, action="plan.item_update", obj=item, school=school, before=before, after=_item_state(item)
        )
        return item


def move_item(actor, *, item_id, delta: int) -> PlanItem:
    """Move a topic up (delta=-1) or down (+1) by swapping with its neighbour."""
    with audit.chain(actor.school_id):
        item = PlanItem.objects.select_related("plan").get(pk=item_id)
        assignment = _load_assignment(actor, item.plan.assignment_id)
        plan = _plan_for_update(actor, assignment)
        item = PlanItem.objects.get(pk=item_id)
        neighbour = plan.items.filter(position=item.position + (1 if delta > 0 else -1)).first()
        if neighbour is None:
            return item
        before = item.position
        # The unique constraint is deferred, so the swap may pass through a duplicate.
        item.position, neighbour.position = neighbour.position, item.position
        item.save(update_fields=["position"])
        neighbour.save(update_fields=["position"])
        audit.record(
            actor=actor,
            action="plan.item_move",
            obj=item,
            school=_school(assignment),
            before={"position": before},
            after={"position": item.position},
        )
        return item


def delete_item(actor, *, item_id) -> None:
    with audit.chain(actor.school_id):
        item = PlanItem.objects.select_related("plan").get(pk=item_id)
        assignment = _load_assignment(actor, item.plan.assignment_id)
        plan = _plan_for_update(actor, assignment)
        before = _item_state(item)
        pk = item.pk
        item.delete()
        _renumber(plan)
        audit.record(
            actor=actor,
            action="plan.item_delete",
            object_type="journal.planitem",
            object_id=pk,
            school=_school(assignment),
            before=before,
        )


def replace_plan(actor, *, assignment_id, rows, source="") -> ThematicPlan:
    """Replace all topics with imported `rows` (dicts: topic, hours, work_type_id).

    Lessons keep their topic text; only their links to the old plan go away."""
    with audit.chain(actor.school_id):
        assignment = _load_assignment(actor, assignment_id)
        school = _school(assignment)
        if not rows:
            raise ServiceError(_("В файле нет ни одной темы."), code="empty")
        work_types = {wt.pk: wt for wt in WorkType.objects.filter(school=school)}
        checked = []
        for row in rows:
            wt = work_types.get(row.get("work_type_id")) if row.get("work_type_id") else None
            if row.get("work_type_id") and wt is None:
                raise ServiceError(_("Вид работы другой школы."), code="bad_work_type")
            topic, hours = validate_item(row.get("topic"), row.get("hours"), wt, school)
            checked.append((topic, hours, wt))
        plan = _plan_for_update(actor, assignment)
        before = {"items": plan.items.count(), "hours": plan.items.aggregate(h=Sum("hours"))["h"] or 0}
        plan.items.all().delete()
        PlanItem.objects.bulk_create(
            PlanItem(plan=plan, position=n, topic=t, hours=h, work_type=wt) for n, (t, h, wt) in enumerate(checked, 1)
        )
        audit.record(
            actor=actor,
            action="plan.import",
            obj=plan,
            school=school,
            before=before,
            after={"items": len(checked), "hours": sum(item[1] for item in checked), "source": source},
        )
        return plan


@dataclass
class HoursCheck:
    plan_hours: int
    curriculum_hours: int | None  # None: no line in the curriculum

    @property
    def difference(self) -> int | None:
        return None if self.curriculum_hours is None else self.plan_hours - self.curriculum_hours

    @property
    def matches(self) -> bool:
        return self.difference == 0


def hours_check(assignment, plan_hours=None) -> HoursCheck:
    """КТП hours against the curriculum line (учебный план) of the class and subject."""
    if plan_hours is None:
        plan_hours = PlanItem.objects.filter(plan__assignment=assignment).aggregate(h=Sum("hours"))["h"] or 0
    line = CurriculumLine.objects.filter(
        school_class_id=assignment.school_class_id, subject_id=assignment.subject_id
    ).first()
    return HoursCheck(plan_hours=plan_hours, curriculum_hours=line.hours_per_year if line else None)


@dataclass
class FillResult:
    filled: list = field(default_factory=list)  # lesson ids that got a topic
    skipped_locked: int = 0
    lessons_without_topic: int = 0  # lessons beyond the end of the plan


def plan_slots(plan) -> list[PlanItem]:
    """One slot per hour: a 2-hour topic covers two lessons in a row."""
    return [item for item in plan.items.select_related("work_type").order_by("position") for _hour in range(item.hours)]


def fill_topics_from_plan(actor, *, assignment_id, now=None) -> FillResult:
    """Give empty lesson topics the plan's topics, in date order.

    The plan is unrolled into one slot per hour. Slots already taken by lessons linked
    to the plan are used up; the remaining slots go, in plan order, to the lessons
    without a topic, by date and bell (cancelled lessons excluded). Lessons with a topic
    of their own keep it. Locked lessons are left alone (the teacher can no longer
    change them). Topics stay editable afterwards, and running this again is harmless."""
    now = now or timezone.now()
    with audit.chain(actor.school_id):
        assignment = _load_assignment(actor, assignment_id)
        school = _school(assignment)
        plan = ThematicPlan.objects.filter(assignment=assignment).first()
        if plan is None or not plan.items.exists():
            raise ServiceError(_("Сначала заполните КТП."), code="no_plan")
        slots = plan_slots(plan)
        for item_id in LessonPlanLink.objects.filter(lesson__assignment=assignment).values_list("item_id", flat=True):
            taken = next((n for n, item in enumerate(slots) if item.pk == item_id), None)
            if taken is not None:
                del slots[taken]
        lessons = list(
            Lesson.objects.select_for_update()
            .filter(assignment=assignment, topic="")
            .exclude(status=Lesson.Status.CANCELLED)
            .order_by("date", "bell__number")
        )
        result = FillResult()
        links = []
        for lesson in lessons:
            lesson.assignment = assignment
            if rules.is_locked(lesson, school, now) or not access.can_write_lesson(actor, lesson):
                result.skipped_locked += 1
                continue
            if not slots:
                result.lessons_without_topic += 1
                continue
            item = slots.pop(0)
            lesson.topic = item.topic
            lesson.topic_set_at = now
            lesson.topic_late = now > rules.entry_deadline(lesson, school)
            lesson.version += 1
            lesson.save(update_fields=["topic", "topic_set_at", "topic_late", "version"])
            links.append(LessonPlanLink(lesson=lesson, item=item))
            audit.record(
                actor=actor,
                action="lesson.topic",
                obj=lesson,
                school=school,
                before={"topic": ""},
                after={"topic": lesson.topic, "plan_item": item.pk, "is_late": lesson.topic_late},
                reason=_("Тема из КТП"),
            )
            result.filled.append(lesson.pk)
        LessonPlanLink.objects.filter(lesson_id__in=[link.lesson_id for link in links]).delete()
        LessonPlanLink.objects.bulk_create(links)
        return result


def next_plan_item(lesson) -> PlanItem | None:
    """The КТП's next unfilled row for this lesson: the first row (by position) with an
    hour that no other lesson of the journal took its topic from (a 2-hour topic fills
    two lessons, as in fill_topics_from_plan). The lesson's own link counts as free. One query."""
    return prepared.first_object(
        "journal.next_plan_item", _next_plan_item, assignment=lesson.assignment_id, lesson=lesson.pk
    )


def _next_plan_item(assignment, lesson):
    """next_plan_item's query (compiled once per process: ejournal/prepared.py)."""
    return (
        PlanItem.objects.filter(plan__assignment_id=assignment)
        .annotate(taken=Count("lesson_links", filter=~Q(lesson_links__lesson_id=lesson)))
        .filter(hours__gt=F("taken"))
        .order_by("position")
        .only("topic", "hours")[:1]
    )


def set_topic_from_plan(actor, *, lesson_id, item_id, expected_version=None, now=None) -> Lesson:
    """The lesson's topic from a row of its journal's КТП; the lesson is linked to the row."""
    from .lessons import set_topic

    with audit.chain(actor.school_id):
        item = PlanItem.objects.filter(pk=item_id, plan__assignment__lessons__pk=lesson_id).only("pk", "topic").first()
        if item is None:
            raise ServiceError(_("Этой темы нет в КТП журнала: обновите страницу."), code="bad_plan_item")
        return set_topic(
            actor, lesson_id=lesson_id, topic=item.topic, expected_version=expected_version, now=now, plan_item=item
        )
