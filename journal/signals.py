"""Keep journal object permissions equal to the links on every save path.

Services, the Django admin, seeds and test factories all save these models; a
model signal runs inside the saver's transaction, so a rolled-back save rolls
its permission change back too.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save, pre_save

from . import permissions
from .models import SchoolClass, TeachingAssignment


def _assignment_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        permissions.sync_assignment(instance)


def _class_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        permissions.sync_class(instance)


def _substitution_pre_save(sender, instance, **kwargs):
    if instance.pk:
        instance._old_lesson_id = sender.objects.filter(pk=instance.pk).values_list("lesson_id", flat=True).first()


def _substitution_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # Revoking is a save too (the log keeps its rows): recompute the lesson's holders.
    permissions.sync_lesson(instance.lesson_id)
    old = getattr(instance, "_old_lesson_id", None)
    if old and old != instance.lesson_id:
        permissions.sync_lesson(old)


def _substitution_deleted(sender, instance, **kwargs):
    permissions.revoke_substitution(instance)


def connect():
    post_save.connect(_assignment_saved, sender=TeachingAssignment, dispatch_uid="perm_assignment")
    post_save.connect(_class_saved, sender=SchoolClass, dispatch_uid="perm_class")
    sub = permissions.substitution_model()
    if sub is not None:
        pre_save.connect(_substitution_pre_save, sender=sub, dispatch_uid="perm_sub_pre")
        post_save.connect(_substitution_saved, sender=sub, dispatch_uid="perm_sub_saved")
        post_delete.connect(_substitution_deleted, sender=sub, dispatch_uid="perm_sub_deleted")


# --- lessons follow the timetable (issue 15) --------------------------------------------
#
# A change of a timetable line, a bell, a holiday, a study period, a year's dates or a
# journal's activity queues the school's lesson sync on commit (lesson_sync.queue_sync).
# A model signal rather than the admin's save_model/delete_model: the admin saves
# periods and holidays through the academic year's inlines (formsets, which save_model
# never sees), and the timetable editor and the administrator's pages to come save the
# same models; a signal catches every save path once. Bulk writes (the demo) skip
# signals and call the sync themselves. A rolled-back save queues nothing.

_SCHOOL_OF = {
    "TimetableEntry": lambda o: o.assignment.school_class.year.school_id,
    "TeachingAssignment": lambda o: o.school_class.year.school_id,
    "Bell": lambda o: o.school_id,
    "Holidays": lambda o: o.year.school_id,
    "StudyPeriod": lambda o: o.year.school_id,
    "AcademicYear": lambda o: o.school_id,
}


def _timetable_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services import lesson_sync

    try:
        school_id = _SCHOOL_OF[sender.__name__](instance)
    except ObjectDoesNotExist:  # a cascade deleting the parent first: the parent's own signal queues it
        return
    lesson_sync.queue_sync(school_id)


def connect_lesson_sync():
    from .models import AcademicYear, Bell, Holidays, StudyPeriod, TimetableEntry

    for model in (TimetableEntry, TeachingAssignment, Bell, Holidays, StudyPeriod, AcademicYear):
        post_save.connect(_timetable_changed, sender=model, dispatch_uid=f"lesson_sync_{model.__name__}_save")
        post_delete.connect(_timetable_changed, sender=model, dispatch_uid=f"lesson_sync_{model.__name__}_delete")
