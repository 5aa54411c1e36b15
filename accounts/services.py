"""State changes of accounts. Each public function runs in one transaction: check
permission, validate, write, audit (accounts.audit.record in the same transaction)."""

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ejournal.errors import ServiceError

from . import audit
from .admin import ROLE_GROUPS, SCHOOL_ADMIN_GROUP, role_group, school_admin_group
from .credentials import generate_login, generate_password
from .middleware import requires_second_factor
from .models import CardView, CredentialIssue, Guardianship, PersonalDataConsent, RoleAssignment, User
from .roles import ADMIN
from .scopes import can_manage, is_school_admin

# Roles whose work is done in the Django admin site.
ADMIN_SITE_ROLES = frozenset({ADMIN, *ROLE_GROUPS})


class AccountError(ServiceError):
    """A rule of accounts said no: `code` for views, `message` for the user."""


class NotAllowed(AccountError):
    default_code = "forbidden"


CARD_FIELDS = ("last_name", "first_name", "patronymic", "birth_date", "sex", "email", "phone")


def card_state(user: User) -> dict:
    return {f: getattr(user, f) for f in CARD_FIELDS}


def _require_admin(actor, school_id=None):
    if not is_school_admin(actor) or (school_id is not None and actor.school_id != school_id):
        raise NotAllowed(_("Это действие доступно только администратору ЭЖ школы."))


def _require_manager(actor, person):
    if person.school_id != actor.school_id or not can_manage(actor, person):
        raise NotAllowed()


def _clean_card(data: dict) -> dict:
    out = {}
    for f in CARD_FIELDS:
        if f not in data:
            continue
        v = data[f]
        out[f] = v.strip() if isinstance(v, str) else v
    for f in ("last_name", "first_name"):
        if f in out and not out[f]:
            raise AccountError(_("Укажите фамилию и имя."), code="name_required")
    if out.get("email"):
        try:
            validate_email(out["email"])
        except ValidationError:
            raise AccountError(
                _("Неверный адрес e-mail «%(email)s».") % {"email": out["email"]}, code="bad_email"
            ) from None
    if out.get("sex") and out["sex"] not in User.Sex.values:
        raise AccountError(_("Неверно указан пол."), code="bad_sex")
    if out.get("birth_date") and out["birth_date"] > timezone.localdate():
        raise AccountError(_("Дата рождения не может быть в будущем."), code="bad_birth_date")
    return out


# --- accounts --------------------------------------------------------------------------


def create_person(actor, *, roles=(), **card) -> User:
    """A new account in the actor's school with a generated login and no usable password
    (credentials are issued separately). The administrator creates staff accounts;
    class teachers create parents through `add_parent`."""
    card = _clean_card(card)
    for r in roles:
        if r not in RoleAssignment.Role.values:
            raise AccountError(_("Неизвестная роль «%(role)s».") % {"role": r}, code="bad_role")
    with audit.chain(actor.school_id):
        user = _create_user(actor, card)
        for r in roles:
            RoleAssignment.objects.create(user=user, school_id=actor.school_id, role=r)
        if set(roles) & ADMIN_SITE_ROLES:
            _sync_admin_site_access(user, set(roles))
        audit.record(
            actor=actor,
            action="account.create",
            obj=user,
            school=actor.school_id,
            after={**card_state(user), "username": user.username, "roles": sorted(roles), "is_staff": user.is_staff},
        )
    return user


def _create_user(actor, card) -> User:
    if "last_name" not in card or "first_name" not in card:
        raise AccountError(_("Укажите фамилию и имя."), code="name_required")
    user = User(school_id=actor.school_id, **card)
    user.username = generate_login(card["last_name"], card["first_name"])
    user.set_unusable_password()
    user.save()
    return user


def create_staff(actor, *, roles=(), **card) -> User:
    _require_admin(actor)
    return create_person(actor, roles=roles, **card)


def _sync_admin_site_access(person, roles) -> None:
    """The Django admin is where the administrator keeps the structure, the secretary the
    pupil movement and the scheduler the timetable: `is_staff` and each role's group
    come with the role and go with it (a superuser keeps `is_staff`)."""
    staff = bool(roles & ADMIN_SITE_ROLES) or person.is_superuser
    if person.is_staff != staff:
        person.is_staff = staff
        person.save(update_fields=["is_staff"])
    wanted = {school_admin_group()} if ADMIN in roles else set()
    wanted |= {role_group(r) for r in ROLE_GROUPS if r in roles}
    managed = [SCHOOL_ADMIN_GROUP, *ROLE_GROUPS.values()]
    current = set(person.groups.filter(name__in=managed))
    person.groups.remove(*(current - wanted))
    person.groups.add(*(wanted - current))


def set_roles(actor, person, roles) -> None:
    """Replace the person's assigned roles; also brings the admin-site access in line with them."""
    _require_admin(actor, person.school_id)
    roles = set(roles)
    if not roles <= set(RoleAssignment.Role.values):
        raise AccountError(_("Неизвестная роль."), code="bad_role")
    with audit.chain(actor.school_id):
        before = set(
            RoleAssignment.objects.filter(user=person, school_id=person.school_id).values_list("role", flat=True)
        )
        was_staff = person.is_staff
        RoleAssignment.objects.filter(user=person, school_id=person.school_id).exclude(role__in=roles).delete()
        for r in roles - before:
            RoleAssignment.objects.create(user=person, school_id=person.school_id, role=r)
        person._ej_assigned_roles = None
        _sync_admin_site_access(person, roles)
        if before == roles and was_staff == person.is_staff:
            return
        audit.record(
            actor=actor,
            action="account.roles",
            obj=person,
            before={"roles": sorted(before), "is_staff": was_staff},
            after={"roles": sorted(roles), "is_staff": person.is_staff},
        )


def update_card(actor, person, **data) -> User:
    """Edit a person's card: the administrator, or the class teacher for own pupils and their parents."""
    _require_manager(actor, person)
    data = _clean_card(data)
    with audit.chain(actor.school_id):
        person = User.objects.select_for_update().get(pk=person.pk)
        before = card_state(person)
        for f, v in data.items():
            setattr(person, f, v)
        after = card_state(person)
        if after == before:
            return person
        person.save(update_fields=list(data))
        changed = [f for f in CARD_FIELDS if before[f] != after[f]]
        audit.record(
            actor=actor,
            action="account.card",
            obj=person,
            school=person.school_id,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return person


def set_active(actor, person, active: bool, reason="") -> None:
    _require_admin(actor, person.school_id)
    with audit.chain(actor.school_id):
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.is_active == active:
            return
        person.is_active = active
        if not active:
            person.session_epoch += 1
        person.save(update_fields=["is_active", "session_epoch"])
        audit.record(
            actor=actor,
            action="account.unlock" if active else "account.lock",
            obj=person,
            before={"is_active": not active},
            after={"is_active": active},
            reason=reason,
        )


# --- guardianship ----------------------------------------------------------------------


def add_guardianship(actor, *, parent, child, relation="") -> Guardianship:
    """Link a parent to a child. `read_diary` follows by the Guardianship signal."""
    _require_manager(actor, child)
    if parent.school_id != child.school_id:
        raise AccountError(_("Родитель и ребёнок должны относиться к одной школе."), code="cross_school")
    if parent.pk == child.pk:
        raise AccountError(_("Человек не может быть своим законным представителем."), code="self")
    with audit.chain(actor.school_id):
        g, created = Guardianship.objects.get_or_create(parent=parent, child=child, defaults={"relation": relation})
        if created:
            audit.record(
                actor=actor,
                action="account.guardianship_add",
                obj=g,
                school=child.school_id,
                after={"parent": parent.pk, "child": child.pk, "relation": relation},
            )
    return g


def remove_guardianship(actor, guardianship: Guardianship) -> None:
    _require_manager(actor, guardianship.child)
    with audit.chain(actor.school_id):
        state = {"parent": guardianship.parent_id, "child": guardianship.child_id, "relation": guardianship.relation}
        pk = guardianship.pk
        guardianship.delete()
        audit.record(
            actor=actor,
            action="account.guardianship_remove",
            object_type="accounts.guardianship",
            object_id=pk,
            school=guardianship.child.school_id,
            before=state,
        )


def add_parent(actor, child, *, relation="", **card) -> User:
    """A class teacher (or the administrator) creates a parent's account for a pupil."""
    _require_manager(actor, child)
    with audit.chain(actor.school_id):
        parent = create_person(actor, **card)
        add_guardianship(actor, parent=parent, child=child, relation=relation)
    return parent


# --- credentials -----------------------------------------------------------------------


@dataclass
class IssuedCredential:
    user: User
    username: str
    password: str
    issue: CredentialIssue


def issue_credentials(actor, people) -> list[IssuedCredential]:
    """New one-time passwords for `people`; each must change it at first login.

    Re-issuing ends all the person's sessions (the password is part of the session
    hash, and the session epoch moves too). The administrator may issue to anyone of
    the school and thereby also reopens a locked account; a class teacher only to
    the pupils of own class and their parents, and not to locked accounts.
    """
    out = []
    is_admin = is_school_admin(actor)
    with audit.chain(actor.school_id):
        for person in people:
            _require_manager(actor, person)
            person = User.objects.select_for_update().get(pk=person.pk)
            if not person.is_active and not is_admin:
                raise AccountError(
                    _("Учётная запись %(name)s заблокирована: реквизиты выдаёт администратор.")
                    % {"name": person.full_name},
                    code="locked",
                )
            password = generate_password(person)
            before = {"is_active": person.is_active, "must_change_password": person.must_change_password}
            person.set_password(password)
            person.must_change_password = True
            person.is_active = True
            person.session_epoch += 1
            person.save(update_fields=["password", "must_change_password", "is_active", "session_epoch"])
            issue = CredentialIssue.objects.create(
                school_id=person.school_id, user=person, username=person.username, issued_by=actor
            )
            audit.record(
                actor=actor,
                action="account.credentials_issue",
                obj=person,
                school=person.school_id,
                before=before,
                after={"username": person.username, "issue": issue.pk, "must_change_password": True, "is_active": True},
            )
            out.append(IssuedCredential(person, person.username, password, issue))
    return out


def mark_signed(actor, issue: CredentialIssue) -> None:
    _require_manager(actor, issue.user)
    with audit.chain(actor.school_id):
        issue = CredentialIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.signed_at:
            return
        issue.signed_at = timezone.now()
        issue.signed_recorded_by = actor
        issue.save(update_fields=["signed_at", "signed_recorded_by"])
        audit.record(
            actor=actor,
            action="account.credentials_signed",
            obj=issue,
            school=issue.school_id,
            after={"user": issue.user_id, "signed_at": issue.signed_at},
        )


def change_password(user, new_password: str) -> None:
    """The user's own new password; ends the forced-change state. It must pass the
    validators and differ from the current one (after one-time credentials: the slip's).

    The password is part of the session hash: the caller keeps the current session
    with `update_session_auth_hash`, every other one ends.
    """
    if user.check_password(new_password):
        raise AccountError(_("Новый пароль должен отличаться от текущего (и от пароля с бланка)."), code="unchanged")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages), code="weak_password") from None
    with audit.chain(user.school_id):
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit.record(actor=user, action="account.password_change", obj=user, school=user.school_id)


def confirm_second_factor(user, device: TOTPDevice, token: str) -> TOTPDevice | None:
    """Confirm the user's new authenticator with a code from it: the confirmed device,
    or None if the code is wrong."""
    if device.user_id != user.pk:
        raise NotAllowed()
    with audit.chain(user.school_id):
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token(token.strip()):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(actor=user, action="account.2fa_enable", obj=user, school=user.school_id)
    return device


def disable_second_factor(user) -> bool:
    """Remove the user's authenticators; False if there were none. Not where the school requires them."""
    if requires_second_factor(user):
        raise NotAllowed(_("Школа требует второй фактор для вашей роли: отключить его нельзя."))
    with audit.chain(user.school_id):
        deleted, _n = TOTPDevice.objects.filter(user=user).delete()
        if deleted:
            audit.record(actor=user, action="account.2fa_disable", obj=user, school=user.school_id)
    return bool(deleted)


def logout_everywhere(user) -> None:
    """End every session of `user` (this one included)."""
    with audit.chain(user.school_id):
        person = User.objects.select_for_update().get(pk=user.pk)
        person.session_epoch += 1
        person.save(update_fields=["session_epoch"])
        audit.record(actor=user, action="account.logout_everywhere", obj=person, school=person.school_id)


# --- personal data ---------------------------------------------------------------------


def record_consent(actor, subject, *, given_by: str, given_on) -> PersonalDataConsent:
    _require_manager(actor, subject)
    if not (given_by or "").strip():
        raise AccountError(_("Укажите, кто дал согласие."), code="given_by_required")
    if given_on is None or given_on > timezone.localdate():
        raise AccountError(_("Дата согласия не может быть пустой или в будущем."), code="bad_date")
    with audit.chain(actor.school_id):
        consent = PersonalDataConsent.objects.create(
            subject=subject, given_by=given_by.strip(), given_on=given_on, recorded_by=actor
        )
        audit.record(
            actor=actor,
            action="account.pd_consent",
            obj=consent,
            school=subject.school_id,
            after={"subject": subject.pk, "given_by": consent.given_by, "given_on": given_on},
        )
    return consent


def log_card_view(viewer, subject, ip=None) -> None:
    CardView.objects.create(
        viewer=viewer, subject=subject, school_id=subject.school_id, ip=ip or audit.current_ip.get()
    )
