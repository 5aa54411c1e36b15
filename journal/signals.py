"""Keep journal object permissions equal to the links on every save path.

Services, the Django admin, seeds and test factories all save these models; a
model signal runs inside the saver's transaction, so a rolled-back save rolls
its permission change back too.
"""

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
