"""Compromised accounts (docs/DESIGN.md §3.11).

Once the school learns that an account's login and password leaked, every operation
the account made from that moment on is void: the administrator records the moment,
the account is locked and its sessions end, and each operation found in the audit
trail is reverted through the owning app's services (each reversal audited).

accounts knows nothing of marks or attendance: apps register a reverter for the
audit actions they own (journal/reverters.py registers "mark." and "attendance.").
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal import params
from ejournal.errors import ServiceError

from . import audit
from .models import AuditEvent, Compromise, User, VoidedOperation
from .scopes import is_school_admin


class CompromiseError(ServiceError):
    """Recording a compromise was refused: `code` says why."""


@dataclass
class Reversal:
    outcome: str  # VoidedOperation.Outcome
    note: str = ""
    event: AuditEvent | None = None  # the audit row of the reversal itself


# action prefix -> fn(actor, event, compromise) -> Reversal
_reverters: dict[str, Callable] = {}


def register_reverter(prefix: str, fn: Callable) -> None:
    _reverters[prefix] = fn


def reverter_for(action: str):
    best = None
    for prefix, fn in _reverters.items():
        if action.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, fn)
    return best[1] if best else None


def void_reason(compromise: Compromise, event: AuditEvent) -> str:
    learned = timezone.localtime(compromise.learned_at)
    return _(
        "Аннулирование операции №%(event)s: учётная запись %(username)s скомпрометирована "
        "(школе известно с %(learned)s), п. 5.4 регламента."
    ) % {"event": event.pk, "username": compromise.user.username, "learned": f"{learned:%d.%m.%Y %H:%M}"}


def operations_since(user, moment):
    """The account's own audited operations from `moment` on, newest first (the order of reversal)."""
    return AuditEvent.objects.filter(actor=user, created_at__gte=moment).order_by("-id")


def _end_sessions(user: User):
    # Part of the session auth hash: every session of the user fails its next check.
    user.session_epoch += 1


def record_compromise(actor, user, *, learned_at, reason: str, now=None) -> Compromise:
    """Record, lock, end sessions, revert everything since `learned_at`. One transaction."""
    now = now or timezone.now()
    if not is_school_admin(actor) or user.school_id != actor.school_id:
        raise CompromiseError(
            _("Фиксировать компрометацию может только администратор ЭЖ своей школы."), code="forbidden"
        )
    if user.pk == actor.pk:
        raise CompromiseError(_("Нельзя зафиксировать компрометацию собственной учётной записи."), code="own_account")
    if not params.in_range(learned_at):
        raise CompromiseError(params.DATE_RANGE_MESSAGE, code="date_range")
    if learned_at > now:
        raise CompromiseError(
            _("Момент, когда школе стало известно о нарушении, не может быть в будущем."), code="future"
        )
    try:
        reason = params.parse_text(reason, max_length=Compromise.REASON_MAX, field=_("Обстоятельства"))
    except params.BadValue as exc:
        raise CompromiseError(exc.message, code="too_long") from None
    if not reason:
        raise CompromiseError(_("Опишите обстоятельства нарушения."), code="reason_required")
    with audit.chain(actor.school_id):
        user = User.objects.select_for_update().get(pk=user.pk)
        before = {"is_active": user.is_active}
        user.is_active = False
        _end_sessions(user)
        user.save(update_fields=["is_active", "session_epoch"])
        comp = Compromise.objects.create(
            school_id=user.school_id, user=user, learned_at=learned_at, reason=reason, recorded_by=actor
        )
        audit.record(
            actor=actor,
            action="account.compromise",
            obj=user,
            school=user.school_id,
            before=before,
            after={"is_active": False, "learned_at": learned_at, "compromise": comp.pk},
            reason=reason.strip(),
        )
        already = VoidedOperation.objects.filter(compromise__user=user).values("event_id")
        for event in operations_since(user, learned_at).exclude(pk__in=already).select_related("actor"):
            fn = reverter_for(event.action)
            if fn is None:
                result = Reversal(
                    VoidedOperation.Outcome.MANUAL, _("Автоматическая отмена для этого действия не предусмотрена.")
                )
            else:
                with transaction.atomic():  # a failed reversal leaves nothing half-written
                    result = fn(actor, event, comp)
            VoidedOperation.objects.create(
                compromise=comp, event=event, outcome=result.outcome, note=result.note[:500], reversal=result.event
            )
    return comp


def _account_reverter(actor, event, compromise) -> Reversal:
    """Changes the account made to itself (password, 2FA) die with the lock: new
    credentials are issued anyway; other account changes need a person to look."""
    if event.object_type == "accounts.user" and event.object_id == str(compromise.user_id):
        return Reversal(
            VoidedOperation.Outcome.REVERTED,
            _("Учётная запись заблокирована; для возобновления работы выдайте новые реквизиты."),
        )
    return Reversal(VoidedOperation.Outcome.MANUAL, _("Изменение чужой учётной записи: проверьте вручную."))


register_reverter("account.", _account_reverter)
