"""Access rows for accounts/ (issue 3): own password and second factor for everyone;
people, credentials and compromises for the school's administrator (and, for the pupils
and parents of own class, the class teacher)."""

from django.utils import timezone

from . import Row

EVERYONE = ("teacher", "class_teacher", "parent", "other_parent", "pupil", "deputy", "director", "admin", "outsider")
ALL_200 = dict.fromkeys(EVERYONE, 200)
ALL_302 = dict.fromkeys(EVERYONE, 302)
MANAGERS = {"admin": 200, "class_teacher": 200}
# The deputy and the director read every card of their school but change none of them.
READERS = {"deputy": 200, "director": 200}
FORBIDDEN_TO_READERS = {"deputy": 403, "director": 403}


def _credential(w, school=None, user=None):
    from accounts.models import CredentialIssue

    user = user or w.pupil
    return CredentialIssue.objects.create(
        school=school or w.school, user=user, username=user.username, issued_by=w.admin
    )


def _new_pupil_of(school_class):
    from tests import factories as F

    return F.EnrollmentFactory(school_class=school_class).pupil


def _teacher_parent(w):
    from tests.world import add_teacher_parent

    return add_teacher_parent(w)


def _compromise(w, school=None, user=None):
    from accounts.models import Compromise

    return Compromise.objects.create(
        school=school or w.school,
        user=user or w.teacher,
        learned_at=timezone.now(),
        reason="Пароль увидели посторонние",
        recorded_by=w.admin,
    )


ROWS = [
    Row("accounts:password_change", expect=ALL_200),
    Row("accounts:logout_everywhere", method="POST", expect=ALL_302),
    Row("accounts:otp_setup", expect=ALL_200),
    Row("accounts:session_ping", method="POST", expect=dict.fromkeys(EVERYONE, 204)),
    Row("accounts:session_resumed", expect=ALL_200),
    Row("accounts:otp_verify", expect=ALL_200),
    Row("accounts:otp_disable", method="POST", expect=ALL_302),
    Row("accounts:people", expect={**MANAGERS, **READERS, "outsider": 200}, default=403),
    Row("accounts:staff_new", expect={"admin": 200}, default=403),
    Row(
        "accounts:issue_slips",
        method="POST",
        # A pupil of her own class who is none of the personas: issuing a slip makes
        # its owner change the password at the next login.
        data=lambda w: {"ids": [_new_pupil_of(w.klass).pk]},
        expect={"admin": 200, "class_teacher": 200},
    ),
    Row(
        "accounts:issue_slips",
        method="POST",
        data=lambda w: {"ids": [w.foreign_pupil.pk]},
        expect={},
        note="another school's pupil",
    ),
    Row(
        "accounts:issue_slips",
        method="POST",
        data=lambda w: {"ids": [_teacher_parent(w).pk]},
        expect={"admin": 200},
        note="a colleague who is a mother in 5А: staff credentials are the administrator's",
    ),
    Row("accounts:person", kwargs=lambda w: {"pk": w.pupil.pk}, expect={**MANAGERS, **READERS}),
    Row(
        "accounts:person",
        kwargs=lambda w: {"pk": _teacher_parent(w).pk},
        expect={"admin": 200, **READERS},
        note="a colleague who is a mother in 5А",
    ),
    Row(
        "accounts:person",
        kwargs=lambda w: {"pk": w.other_pupil.pk},
        expect={"admin": 200, **READERS},
        note="not own class",
    ),
    Row(
        "accounts:person", kwargs=lambda w: {"pk": w.foreign_pupil.pk}, expect={"outsider": 200}, note="another school"
    ),
    Row(
        "accounts:consent_add",
        method="POST",
        kwargs=lambda w: {"pk": w.pupil.pk},
        data=lambda w: {"given_by": "Иванова Анна Петровна, мать", "given_on": "2026-09-01"},
        expect={"admin": 302, "class_teacher": 302, **FORBIDDEN_TO_READERS},
    ),
    Row(
        "accounts:consent_add",
        method="POST",
        kwargs=lambda w: {"pk": w.foreign_pupil.pk},
        data=lambda w: {"given_by": "Кто-то", "given_on": "2026-09-01"},
        expect={"outsider": 403},
        note="another school",
    ),
    Row(
        "accounts:set_active",
        kwargs=lambda w: {"pk": w.pupil.pk},
        expect={"admin": 200, "class_teacher": 403, **FORBIDDEN_TO_READERS},
        note="the confirmation page naming the consequences",
    ),
    Row(
        "accounts:set_active",
        kwargs=lambda w: {"pk": w.foreign_pupil.pk},
        expect={"outsider": 403},
        note="another school",
    ),
    Row(
        "accounts:issue_confirm",
        query=lambda w: {"ids": _new_pupil_of(w.klass).pk},
        expect={"admin": 200, "class_teacher": 200},
    ),
    Row(
        "accounts:issue_confirm",
        query=lambda w: {"ids": w.foreign_pupil.pk},
        expect={},
        note="another school's pupil",
    ),
    Row(
        "accounts:issue_confirm",
        query=lambda w: {"ids": _teacher_parent(w).pk},
        expect={"admin": 200},
        note="a colleague who is a mother in 5А",
    ),
    Row("accounts:issue_confirm", expect=ALL_302, note="nobody chosen: back with a message"),
    Row(
        "accounts:set_active",
        method="POST",
        kwargs=lambda w: {"pk": w.pupil.pk},
        data=lambda w: {"active": "1"},
        expect={"admin": 302, "class_teacher": 403, **FORBIDDEN_TO_READERS},
    ),
    Row(
        "accounts:set_active",
        method="POST",
        kwargs=lambda w: {"pk": w.foreign_pupil.pk},
        data=lambda w: {"active": "0"},
        expect={"outsider": 403},
        note="another school",
    ),
    Row(
        "accounts:credential_signed",
        method="POST",
        kwargs=lambda w: {"pk": _credential(w).pk},
        expect={"admin": 302, "class_teacher": 302},
    ),
    Row(
        "accounts:credential_signed",
        method="POST",
        kwargs=lambda w: {"pk": _credential(w, user=_teacher_parent(w)).pk},
        expect={"admin": 302},
        note="a colleague's slip",
    ),
    Row(
        "accounts:credential_signed",
        method="POST",
        kwargs=lambda w: {"pk": _credential(w, w.foreign_school, w.foreign_pupil).pk},
        expect={},
        note="another school's slip",
    ),
    Row("accounts:compromises", expect={"admin": 200}, default=403),
    Row("accounts:compromise", kwargs=lambda w: {"pk": _compromise(w).pk}, expect={"admin": 200}),
    Row(
        "accounts:compromise",
        kwargs=lambda w: {"pk": _compromise(w, w.foreign_school, w.outsider).pk},
        expect={},
        note="another school's record",
    ),
    Row("accounts:compromise_pdf", kwargs=lambda w: {"pk": _compromise(w).pk}, expect={"admin": 200}),
]
