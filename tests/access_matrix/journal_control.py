"""Access rows for deadline control (issue 7): notifications are their recipient's; the
school's control page is the deputy's and director's; a class's page its class teacher's."""

from django.utils import timezone

from . import Row

EVERYONE = ("teacher", "class_teacher", "parent", "other_parent", "pupil", "deputy", "director", "admin", "outsider")


def _notification(w, user=None):
    from journal.models import Notification

    user = user or w.teacher
    return Notification.objects.create(
        user=user, school=user.school, title="Урок не заполнен", body="5А, 9 ноября", created_at=timezone.now()
    )


def _violation(w):
    from journal.models import Violation

    lesson = w.lessons[0]
    return Violation.objects.create(
        school=w.school,
        kind=Violation.Kind.LESSON_UNFILLED,
        object_key=f"lesson:{lesson.pk}",
        responsible=w.teacher,
        school_class=w.klass,
        assignment=w.assignment,
        lesson=lesson,
        day=lesson.date,
        since=timezone.now(),
        detected_at=timezone.now(),
    )


ROWS = [
    Row("journal:notifications", expect=dict.fromkeys(EVERYONE, 200)),
    Row("journal:notifications_read_all", method="POST", expect=dict.fromkeys(EVERYONE, 302)),
    Row(
        "journal:notification_read",
        method="POST",
        kwargs=lambda w: {"pk": _notification(w).pk},
        expect={"teacher": 302},
    ),
    Row(
        "journal:notification_read",
        method="POST",
        kwargs=lambda w: {"pk": _notification(w, w.outsider).pk},
        expect={"outsider": 302},
    ),
    Row("journal:control", expect={"deputy": 200, "director": 200, "outsider": 200}, default=403),
    Row(
        "journal:class_control",
        kwargs=lambda w: {"pk": w.klass.pk},
        expect={"class_teacher": 200, "deputy": 200, "director": 200},
    ),
    Row("journal:class_control", kwargs=lambda w: {"pk": w.foreign_class.pk}, expect={"outsider": 200}),
    Row(
        "journal:violation",
        kwargs=lambda w: {"pk": _violation(w).pk},
        expect={"teacher": 200, "class_teacher": 200, "deputy": 200, "director": 200},
    ),
]
