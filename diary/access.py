"""Access decisions of the diary: whose diary a user reads, which threads and
announcements they see. Everything out of scope is Http404.

A parent reads own children, a pupil reads self; staff read a pupil's diary in
their journal scope (class teacher, teachers of the class, deputy, director) —
built on journal.access so there is one definition of "in scope".
"""

from functools import partial

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.http import Http404

from accounts.models import Guardianship, User
from accounts.predicates import predicate
from ejournal import prepared
from journal import access as journal_access
from journal import roles as R
from journal.models import Enrollment, SchoolClass

from .models import Announcement, Message, Receipt, Thread

# Staff who read a pupil's diary in their journal scope.
STAFF_READERS = R.JOURNAL_STAFF


@predicate("read_diary")
def reads_own_diary(user) -> bool:
    """Parents (own children) and pupils (self) have a diary of their own to open."""
    return bool(R.user_roles(user) & R.DIARY_OWNERS)


@predicate("receive_digests")
def receives_digests(user) -> bool:
    """Parents choose the weekly and daily e-mails about their children."""
    return R.PARENT in R.user_roles(user)


def _family(user):
    # children_of reads only the user's id: a transient User carries the placeholder.
    return journal_access.children_of(User(pk=user)).order_by("last_name", "first_name", "pk")


def family_pupils(user):
    """Own children (parent) and self (pupil): the diary switcher, in name order. Every diary
    page starts with it, so it is compiled once per process (ejournal/prepared.py): building
    the guardian permission subquery took longer than PostgreSQL took to answer it."""
    if not user.is_authenticated:
        return []
    return prepared.objects("diary.family", _family, user=user.pk)


def get_diary_pupil(user, pk, family=None):
    """(pupil, can_write=False): the pupil whose diary `user` may open.

    `family` is the already loaded family_pupils(user), so a parent costs no extra query.
    """
    family = family_pupils(user) if family is None else family
    for child in family:
        if child.pk == pk:
            return child, False
    if not R.user_roles(user) & STAFF_READERS:
        raise Http404
    pupil = (
        journal_access.pupils_readable(user)
        .filter(pk=pk)
        .filter(Exists(Enrollment.objects.filter(pupil=OuterRef("pk"))))
        .first()
    )
    if pupil is None:
        raise Http404
    return pupil, False


def enrollments_in(pupil, start, end):
    """The pupil's enrollments overlapping [start, end], with class, year and school."""
    return list(
        Enrollment.objects.overlapping(start, end)
        .filter(pupil=pupil)
        .select_related("school_class__year__school")
        .order_by("start")
    )


def get_printable_class(user, pk):
    """(class, can_write=False): the class teacher of the class (and deputy, director) print its diaries."""
    qs = SchoolClass.objects.filter(pk=pk, year__school_id=user.school_id).select_related("year__school")
    if not journal_access.reads_whole_school(user):
        qs = qs.filter(class_teacher=user)
    klass = qs.first()
    if klass is None:
        raise Http404
    return klass, False


# --- messages ---------------------------------------------------------------------


def as_guardian_q(user):
    """Threads `user` holds as the parent, while the guardianship of the pupil lasts: a
    guardianship removed ends the parent's threads about that child at once."""
    return Q(parent=user, pupil__in=Guardianship.objects.filter(parent=user).values("child_id"))


def as_family_q(user):
    """Threads `user` holds as the family side: as a guardian, or as the pupil written to
    (docs/DESIGN.md §1.5 "Messages": a pupil never reaches another pupil's thread)."""
    return as_guardian_q(user) | Q(parent=user, pupil=user)


def threads_visible(user):
    """Threads where the user is the family side (a guardian still, or the pupil), the staff
    member, the colleague who started it, or (deputy, director) the administration."""
    q = as_family_q(user) | Q(staff=user) | Q(kind=Thread.Kind.COLLEAGUE, created_by=user)
    if journal_access.reads_whole_school(user):
        q |= Q(kind=Thread.Kind.ADMINISTRATION, school_id=user.school_id)
    return Thread.objects.filter(q)


def get_thread_for_user(user, pk):
    """(thread, can_write): everyone who sees a thread may answer in it, while its parent
    is still the pupil's guardian (staff keep reading a closed thread); a colleague thread
    and a thread with the pupil stay open."""
    thread = (
        threads_visible(user)
        .select_related("pupil", "parent", "staff", "created_by")
        .annotate(
            open=ExpressionWrapper(
                Q(kind=Thread.Kind.COLLEAGUE)
                | Q(parent=F("pupil"))
                | Q(Exists(Guardianship.objects.filter(parent=OuterRef("parent"), child=OuterRef("pupil")))),
                output_field=BooleanField(),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if thread is None:
        raise Http404
    return thread, thread.open


def announcements_visible(user):
    """Announcements the user received, plus those they published."""
    return Announcement.objects.filter(Q(receipts__recipient=user) | Q(author=user)).distinct()


def get_announcement_for_user(user, pk):
    ann = announcements_visible(user).select_related("author", "school_class").filter(pk=pk).first()
    if ann is None:
        raise Http404
    return ann, ann.author_id == user.pk


def _unread(user, school, *, whole_school):
    """The unread counters of user `user` (of school `school`) as a one-row queryset."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from journal.access import notifications_of

    # the user as the access helpers see it: its id, school and whether it reads the whole school
    who = get_user_model()(pk=user, school_id=school)
    who._ej_roles = frozenset(R.WHOLE_SCHOOL_READERS) if whole_school else frozenset()

    def counted(qs, field):
        sub = qs.filter(read_at__isnull=True).order_by().values(field).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(sub, output_field=IntegerField()), 0)

    return (
        get_user_model()
        .objects.filter(pk=user)
        .values(
            unread_messages=counted(
                Receipt.objects.filter(recipient_id=OuterRef("pk")).filter(
                    Q(message__isnull=True) | Q(message__thread__in=threads_visible(who))
                ),
                "recipient_id",
            ),
            unread_notifications=counted(notifications_of(who), "user_id"),
        )
    )


def unread_counts(user) -> dict:
    """Unread messages and unread deadline notifications of `user`, in one query (compiled
    once per process and role shape: ejournal/prepared.py)."""
    whole = journal_access.reads_whole_school(user)
    row = prepared.first_row(
        ("diary.unread", whole), partial(_unread, whole_school=whole), user=user.pk, school=user.school_id
    )
    row = row or {"unread_messages": 0, "unread_notifications": 0}
    return {"messages": row["unread_messages"], "notifications": row["unread_notifications"]}


def message_visible(user, pk) -> Message:
    msg = Message.objects.filter(pk=pk, thread__in=threads_visible(user)).select_related("thread").first()
    if msg is None:
        raise Http404
    return msg


# --- starting threads (docs/DESIGN.md §1.5 "Messages") -------------------------------


@predicate("start_thread")
def can_start_thread(user) -> bool:
    """Parents (about own children) and journal staff start threads; pupils only answer."""
    return bool(R.user_roles(user) & (R.JOURNAL_STAFF | {R.PARENT}))


def message_classes(user):
    """Classes of the current year whose pupils and parents a staff member may write to:
    those of their journals and classes, or the whole school (journal.access.classes_readable)."""
    if not R.user_roles(user) & STAFF_READERS:
        return SchoolClass.objects.none()
    year = journal_access.current_year(user.school_id and user.school)
    return (
        journal_access.classes_readable(user).filter(year=year).select_related("year").order_by("grade", "letter", "pk")
    )


def can_write_class_parents(user, klass) -> bool:
    """All parents of a class at once: its class teacher and the administration."""
    return klass.class_teacher_id == user.pk or journal_access.reads_whole_school(user)


def get_message_class_for_user(user, pk):
    """(class, can_write_all_parents): a class of the picker; any other id is 404."""
    klass = message_classes(user).filter(pk=pk).first()
    if klass is None:
        raise Http404
    return klass, can_write_class_parents(user, klass)


def colleagues_of(user):
    """Journal staff of the user's school a staff member may write to, never oneself: the
    teachers (an active assignment), the class teachers of open years, deputies, director."""
    from accounts.models import User
    from journal.models import TeachingAssignment

    if not R.user_roles(user) & STAFF_READERS:
        return User.objects.none()
    school = user.school_id
    staff = (
        Q(
            pk__in=TeachingAssignment.objects.filter(is_active=True, school_class__year__school_id=school).values(
                "teacher_id"
            )
        )
        | Q(pk__in=SchoolClass.objects.filter(year__school_id=school, year__is_closed=False).values("class_teacher_id"))
        | Q(roles__school_id=school, roles__role__in=R.WHOLE_SCHOOL_READERS)
    )
    return (
        User.objects.filter(staff, is_active=True, school_id=school)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


# --- paper copies (docs/DESIGN.md §4.4) -------------------------------------------------


def can_record_paper_request(user, pupil_id, parent_id) -> bool:
    """The parent for own child; the class teacher of the child's class now for the parent."""
    if user.pk == parent_id:
        return True
    from journal.models import Enrollment as E

    return E.objects.current().filter(pupil_id=pupil_id, school_class__class_teacher=user).exists()


def paper_families(user, klass=None):
    """(pupil, parent) pairs whose requests `user` records: own children (a parent), or the
    families of class `klass` (its class teacher). [] for anyone else."""
    from journal.models import Enrollment as E

    links = Guardianship.objects.select_related("child", "parent").order_by(
        "child__last_name", "child__first_name", "parent__last_name"
    )
    if klass is None:
        return [(g.child, g.parent) for g in links.filter(parent=user)]
    if klass.class_teacher_id != user.pk:
        return []
    pupils = E.objects.current().filter(school_class=klass).values("pupil_id")
    return [(g.child, g.parent) for g in links.filter(child_id__in=pupils)]


def get_paper_class_for_user(user, pk):
    """A class whose families' requests the user records: the class teacher's own."""
    klass = SchoolClass.objects.filter(pk=pk, class_teacher=user, year__school_id=user.school_id).first()
    if klass is None:
        raise Http404
    return klass, True
