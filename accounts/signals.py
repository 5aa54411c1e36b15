"""Signal receivers of accounts: permission sync for guardianship, login events."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from . import permissions
from .middleware import IDLE_KEY
from .models import Guardianship, LoginEvent, User


# Guardianship is edited by accounts.services and by the Django admin; a model signal
# keeps `read_diary` in step on every save path (and inside the saver's transaction).
@receiver(pre_save, sender=Guardianship, dispatch_uid="guardianship_remember_child")
def _remember_child(sender, instance, **kwargs):
    if instance.pk:
        instance._old_child_id = Guardianship.objects.filter(pk=instance.pk).values_list("child_id", flat=True).first()


@receiver(post_save, sender=Guardianship, dispatch_uid="guardianship_sync_perm")
def _guardianship_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    permissions.sync_diary(instance.child_id)
    old = getattr(instance, "_old_child_id", None)
    if old and old != instance.child_id:
        permissions.sync_diary(old)


@receiver(post_delete, sender=Guardianship, dispatch_uid="guardianship_delete_perm")
def _guardianship_deleted(sender, instance, **kwargs):
    if User.objects.filter(pk=instance.child_id).exists():
        permissions.sync_diary(instance.child_id)


def _ip(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in, dispatch_uid="loginevent_login")
def _logged_in(sender, request, user, **kwargs):
    LoginEvent.objects.create(
        user=user, school_id=user.school_id, username=user.username, kind=LoginEvent.Kind.LOGIN, ip=_ip(request)
    )


@receiver(user_logged_in, dispatch_uid="session_idle_start")
def _start_idle_clock(sender, request, user, **kwargs):
    # The gate stamps the session on the pages it serves; a session left alone right
    # after the login would otherwise never count as idle.
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_KEY] = int(time.time())


@receiver(user_login_failed, dispatch_uid="loginevent_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:150]
    user = User.objects.filter(username=username).only("pk", "school_id").first()
    LoginEvent.objects.create(
        user=user,
        school_id=user.school_id if user else None,
        username=username,
        kind=LoginEvent.Kind.FAILED,
        ip=_ip(request),
    )


@receiver(user_logged_out, dispatch_uid="loginevent_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    LoginEvent.objects.create(
        user=user, school_id=user.school_id, username=user.username, kind=LoginEvent.Kind.LOGOUT, ip=_ip(request)
    )
