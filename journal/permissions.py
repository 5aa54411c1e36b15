"""django-guardian object permissions of the journal, derived from domain links.

| permission                  | object             | holder                       | link                      |
|-----------------------------|--------------------|------------------------------|---------------------------|
| journal.fill_journal        | TeachingAssignment | its teacher (while active)   | TeachingAssignment.teacher|
| journal.lead_class          | SchoolClass        | its class teacher            | SchoolClass.class_teacher |
| journal.substitute_lesson   | Lesson             | the substitute               | Substitution              |
| accounts.read_diary         | pupil (User)       | each parent                  | Guardianship (accounts)   |

The link models' save/delete signals (journal/signals.py, accounts/signals.py) call
the sync functions here, so services, the Django admin, seeds and factories all keep
permissions equal to the links inside the same transaction. Bulk writes that skip
signals (QuerySet.update, bulk_create) must be followed by `rebuild_all()`
(`manage.py sync_permissions`).
"""

from django.apps import apps
from django.db import transaction

from accounts import permissions as acc_perms

from .models import AssignmentPermission, ClassPermission, LessonPermission, SchoolClass, TeachingAssignment

FILL_JOURNAL = "fill_journal"
LEAD_CLASS = "lead_class"
SUBSTITUTE_LESSON = "substitute_lesson"


def _pid(codename):
    return acc_perms.permission_id("journal", codename)


def substitution_model():
    """journal.Substitution once it exists (built in a parallel branch), else None."""
    try:
        return apps.get_model("journal", "Substitution")
    except LookupError:
        return None


# --- teaching assignments --------------------------------------------------------------


def sync_assignment(assignment) -> None:
    holders = {assignment.teacher_id} if assignment.is_active else set()
    acc_perms.sync_object(AssignmentPermission, _pid(FILL_JOURNAL), assignment.pk, holders)


def _expected_assignment_pairs():
    return set(TeachingAssignment.objects.filter(is_active=True).values_list("teacher_id", "pk"))


# --- classes ---------------------------------------------------------------------------


def sync_class(school_class) -> None:
    acc_perms.sync_object(ClassPermission, _pid(LEAD_CLASS), school_class.pk, {school_class.class_teacher_id})


def _expected_class_pairs():
    return set(SchoolClass.objects.filter(class_teacher__isnull=False).values_list("class_teacher_id", "pk"))


# --- substitutions ---------------------------------------------------------------------


def _lesson_substitutes(lesson_id, exclude_pk=None) -> set[int]:
    model = substitution_model()
    if model is None:
        return set()
    qs = model.objects.active().filter(lesson_id=lesson_id)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return set(qs.values_list("substitute_id", flat=True))


def sync_lesson(lesson_id, exclude_substitution=None) -> None:
    acc_perms.sync_object(
        LessonPermission, _pid(SUBSTITUTE_LESSON), lesson_id, _lesson_substitutes(lesson_id, exclude_substitution)
    )


def grant_substitution(sub) -> None:
    """The substitute may read and fill `sub.lesson` (works for any object with
    `.lesson_id`/`.substitute_id`)."""
    LessonPermission.objects.get_or_create(
        user_id=sub.substitute_id, permission_id=_pid(SUBSTITUTE_LESSON), content_object_id=sub.lesson_id
    )


def revoke_substitution(sub) -> None:
    """Withdraw what `sub` granted, unless another substitution of the lesson keeps it."""
    sync_lesson(sub.lesson_id, exclude_substitution=sub.pk)


def _expected_lesson_pairs():
    model = substitution_model()
    if model is None:
        return set()
    return set(model.objects.active().values_list("substitute_id", "lesson_id"))


# --- whole rebuild and comparison --------------------------------------------------------


def expected_state() -> dict[str, set]:
    return {
        "fill_journal": _expected_assignment_pairs(),
        "lead_class": _expected_class_pairs(),
        "substitute_lesson": _expected_lesson_pairs(),
        "read_diary": acc_perms.expected_diary_pairs(),
    }


def actual_state() -> dict[str, set]:
    return {
        "fill_journal": acc_perms.actual_pairs(AssignmentPermission, _pid(FILL_JOURNAL)),
        "lead_class": acc_perms.actual_pairs(ClassPermission, _pid(LEAD_CLASS)),
        "substitute_lesson": acc_perms.actual_pairs(LessonPermission, _pid(SUBSTITUTE_LESSON)),
        "read_diary": acc_perms.diary_pairs(),
    }


def rebuild_all() -> dict[str, tuple[int, int]]:
    """Recompute every object permission from the domain links. Returns {perm: (removed, added)}."""
    out = {}
    with transaction.atomic():
        out["fill_journal"] = acc_perms.rebuild_model(
            AssignmentPermission, _pid(FILL_JOURNAL), _expected_assignment_pairs()
        )
        out["lead_class"] = acc_perms.rebuild_model(ClassPermission, _pid(LEAD_CLASS), _expected_class_pairs())
        out["substitute_lesson"] = acc_perms.rebuild_model(
            LessonPermission, _pid(SUBSTITUTE_LESSON), _expected_lesson_pairs()
        )
        out["read_diary"] = acc_perms.rebuild_diary()
    return out
