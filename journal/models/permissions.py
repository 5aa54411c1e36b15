"""Object permissions of the journal (django-guardian with direct foreign keys).

Rows are derived from domain links and kept in sync by journal.permissions: never
edit them by hand; `manage.py sync_permissions` rebuilds them from the links.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from .records import Lesson
from .structure import SchoolClass, TeachingAssignment


class AssignmentPermission(UserObjectPermissionBase):
    """`fill_journal`: the teacher of a teaching assignment."""

    content_object = models.ForeignKey(TeachingAssignment, on_delete=models.CASCADE, related_name="user_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("право на журнал")
        verbose_name_plural = _("права на журналы")


class ClassPermission(UserObjectPermissionBase):
    """`lead_class`: the class teacher of a class."""

    content_object = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="user_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("право на класс")
        verbose_name_plural = _("права на классы")


class LessonPermission(UserObjectPermissionBase):
    """`substitute_lesson`: the substitute teacher of a lesson."""

    content_object = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="user_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("право на урок")
        verbose_name_plural = _("права на уроки")
